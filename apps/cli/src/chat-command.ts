import { createInterface } from 'node:readline'
import type { Message, StreamEvent } from '@modelplex/core'
import pc from 'picocolors'
import { CliError, exitCodes, report } from './cli-errors.js'
import { statsLine, writeOut } from './cli-format.js'
import { Interrupt } from './cli-interrupt.js'
import { openSession, type Session } from './cli-session.js'

/** Flags shared by the commands that generate text. */
export interface GenerationFlags {
  provider?: string
  model?: string
  system?: string
  temperature?: number
  maxTokens?: number
  json?: boolean
}

export interface ChatFlags extends GenerationFlags {
  stream: boolean
}

export interface GlobalFlags {
  offline: boolean
  debug: boolean
}

/** Thrown after Ctrl-C has aborted a request, once the partial reply is on screen. */
class Interrupted extends Error {}

/** One reply: streamed to stdout (or printed whole, or as JSON); stats on stderr. Returns its text. */
async function reply(
  session: Session,
  messages: Message[],
  flags: ChatFlags,
  interrupt: Interrupt,
): Promise<string> {
  const request = {
    model: session.model,
    messages,
    ...(flags.temperature !== undefined ? { temperature: flags.temperature } : {}),
    ...(flags.maxTokens !== undefined ? { maxOutputTokens: flags.maxTokens } : {}),
  }
  const started = performance.now()
  const stats = (result: { usage: any; cost: any; finishReason?: string }) =>
    process.stderr.write(
      `${statsLine({
        provider: session.id,
        model: session.model,
        usage: result.usage,
        cost: result.cost,
        latencyMs: performance.now() - started,
        finishReason: result.finishReason,
        simulated: session.offline,
      })}\n`,
    )

  if (flags.json || !flags.stream) {
    const controller = new AbortController()
    const clear = interrupt.during(() => controller.abort())
    try {
      const result = await session.provider.generate({ ...request, signal: controller.signal })
      if (flags.json) {
        const { text, finishReason, usage, cost } = result
        const latencyMs = Math.round(performance.now() - started)
        await writeOut(
          `${JSON.stringify({ provider: session.id, model: result.model, text, finishReason, usage, cost, latencyMs, simulated: session.offline })}\n`,
        )
      } else {
        await writeOut(`${result.text}\n`)
        stats(result)
      }
      return result.text
    } catch (error) {
      if (interrupt.fired) throw new Interrupted()
      throw error
    } finally {
      clear()
    }
  }

  const stream = session.provider.stream(request)
  const clear = interrupt.during(() => stream.abort())
  let text = ''
  let finish: Extract<StreamEvent, { type: 'finish' }> | undefined
  try {
    for await (const event of stream) {
      if (event.type === 'text-delta') {
        text += event.text
        await writeOut(event.text)
      } else if (event.type === 'finish') {
        finish = event
      }
    }
  } catch (error) {
    if (interrupt.fired) {
      await writeOut('\n')
      throw new Interrupted()
    }
    if (text) await writeOut('\n')
    throw error
  } finally {
    clear()
  }
  if (!text.endsWith('\n')) await writeOut('\n')
  stats({ usage: finish?.usage, cost: finish?.cost, finishReason: finish?.finishReason })
  return text
}

function systemMessages(flags: GenerationFlags): Message[] {
  return flags.system ? [{ role: 'system', content: flags.system }] : []
}

/** `modelplex chat [prompt…]`: one reply, or a multi-turn session when no prompt is given. */
export async function runChat(words: string[], flags: ChatFlags, global: GlobalFlags): Promise<number> {
  const interrupt = new Interrupt()
  let session: Session | undefined
  try {
    session = await openSession({ provider: flags.provider, model: flags.model, offline: global.offline })
    const prompt = words.join(' ').trim()
    if (prompt) {
      await reply(session, [...systemMessages(flags), { role: 'user', content: prompt }], flags, interrupt)
      return 0
    }
    return await interactive(session, flags, global, interrupt)
  } catch (error) {
    if (error instanceof Interrupted) {
      interrupt.notice()
      return exitCodes.interrupted
    }
    return report(error, session?.context ?? {}, global.debug)
  } finally {
    interrupt.dispose()
    await session?.close()
  }
}

/** Reads turns from stdin (a terminal or a pipe) until /exit or end of input; the history grows each turn. */
async function interactive(
  session: Session,
  flags: ChatFlags,
  global: GlobalFlags,
  interrupt: Interrupt,
): Promise<number> {
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal })
  lines.on('SIGINT', () => interrupt.trigger())
  const history: Message[] = systemMessages(flags)
  if (terminal) {
    process.stderr.write(
      pc.dim(
        `Chatting with ${session.spec.name} (${session.model}). /reset forgets the conversation, /exit or Ctrl-D quits.\n`,
      ),
    )
    lines.setPrompt(pc.cyan('you › '))
    lines.prompt()
  }
  try {
    for await (const line of lines) {
      const input = line.trim()
      if (input === '/exit' || input === '/quit') break
      if (input === '/reset') {
        history.splice(0, history.length, ...systemMessages(flags))
        process.stderr.write(pc.dim('(conversation cleared)\n'))
      } else if (input) {
        history.push({ role: 'user', content: input })
        try {
          const text = await reply(session, history, flags, interrupt)
          history.push({ role: 'assistant', content: text })
        } catch (error) {
          // In a terminal a failed turn is reported and the session goes on; a script gets the exit code.
          if (error instanceof Interrupted || !terminal) throw error
          history.pop()
          report(error, session.context, global.debug)
        }
      }
      if (terminal) lines.prompt()
    }
  } finally {
    lines.close()
  }
  if (history.every((message) => message.role === 'system') && !terminal) {
    throw new CliError('No prompt: pass one (modelplex chat "Hi") or pipe lines on stdin.')
  }
  return 0
}
