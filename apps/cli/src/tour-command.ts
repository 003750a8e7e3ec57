import {
  createClient,
  createProvider,
  detectProviderIds,
  type Hooks,
  type Message,
  type Provider,
  type ProviderEntry,
  type RetryOptions,
} from '@modelplex/core'
import pc from 'picocolors'
import { z } from 'zod'
import type { GlobalFlags } from './chat-command.js'
import { CliError, explain, report } from './cli-errors.js'
import { createTable, duration, money, usd, writeOut } from './cli-format.js'
import { Interrupt } from './cli-interrupt.js'
import { type InstalledProvider, loadAllInstalled, providerIds } from './cli-providers.js'
import { offlinePaceMs, startOffline } from './cli-session.js'

/** One provider on the tour: its Provider plus what the fallback client needs to build another. */
interface Stop {
  id: string
  name: string
  installed: InstalledProvider
  provider: Provider
  settings: Record<string, unknown>
}

/** What the cost summary adds up, per provider. */
interface Spend {
  calls: number
  inputTokens: number
  outputTokens: number
  usd: number
  unpriced: number
}

const city = z.object({ city: z.string(), country: z.string(), population: z.number().int() })
const weatherTool = {
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
}

const clip = (text: string, max = 72) => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** Core retries fast on the tour, so a 429 and an overloaded model show without long waits. */
const tourRetry: RetryOptions = { maxRetries: 2, initialDelayMs: 100, maxDelayMs: 400 }

/**
 * `modelplex tour`: generate, stream, a tool call, structured output, embeddings, a 429 retried,
 * a fallback from one provider to another and a cost summary, across every provider — offline
 * against the wire kits, or live against the providers whose keys are set.
 */
export async function runTour(flags: { provider?: string[] }, global: GlobalFlags): Promise<number> {
  const interrupt = new Interrupt()
  const closers: Array<() => Promise<void>> = []
  const spend = new Map<string, Spend>()
  let failures = 0
  const out = (text = '') => writeOut(`${text}\n`)
  const heading = (text: string) => out(`\n${pc.bold(text)}`)
  let width = 0
  /** Reports a failed step for one provider; `inline` when its label is already on screen. */
  const fail = (stop: { id: string; name: string }, error: unknown, inline = false) => {
    failures++
    const { message } = explain(error, { providerId: stop.id, providerName: stop.name })
    const text = pc.red(`✘ ${message}`)
    return out(inline ? text : `  ${pc.cyan(stop.id.padEnd(width))}${text}`)
  }
  const record = (providerId: string): Hooks => ({
    onResponse({ usage, cost, operation }) {
      const entry = spend.get(providerId) ?? {
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        usd: 0,
        unpriced: 0,
      }
      entry.calls++
      entry.inputTokens += usage?.inputTokens ?? 0
      entry.outputTokens += usage?.outputTokens ?? 0
      if (cost) entry.usd += cost.total
      else if (operation !== 'listModels') entry.unpriced++
      spend.set(providerId, entry)
    },
  })

  try {
    let installed = await loadAllInstalled()
    const missing = providerIds.filter((id) => !installed.some((entry) => entry.id === id))
    if (flags.provider?.length) {
      const unknown = flags.provider.filter((id) => !installed.some((entry) => entry.id === id))
      if (unknown.length) {
        throw new CliError(
          `Unknown or uninstalled provider ${unknown.join(', ')}. Installed: ${installed.map((e) => e.id).join(', ')}.`,
        )
      }
      installed = installed.filter((entry) => flags.provider!.includes(entry.id))
    }
    if (!global.offline) {
      const configured = await detectProviderIds({ ollamaTimeoutMs: 300 })
      installed = installed.filter((entry) => configured.includes(entry.id))
      if (installed.length === 0) {
        throw new CliError(
          'No provider is configured for a live tour: set a key (see modelplex providers), or add --offline.',
        )
      }
    }

    const stops: Stop[] = await Promise.all(
      installed.map(async (entry) => {
        let settings: Record<string, unknown> = {}
        if (global.offline) {
          const offline = await startOffline(entry, offlinePaceMs())
          closers.push(() => offline.served.close())
          settings = offline.settings
        }
        const provider = createProvider(entry.spec, {
          ...settings,
          hooks: record(entry.id),
          retry: tourRetry,
        })
        return { id: entry.id, name: entry.spec.name, installed: entry, provider, settings }
      }),
    )
    width = Math.max(...stops.map((stop) => stop.id.length)) + 2
    const label = (stop: Stop) => pc.cyan(stop.id.padEnd(width))
    const capable = (key: keyof Provider['capabilities']) =>
      stops.filter((stop) => stop.provider.capabilities[key])

    await out(
      pc.bold(
        `modelplex tour — ${stops.length === 1 ? 'one provider' : `${stops.length} providers`} through one interface`,
      ),
    )
    await out(
      global.offline
        ? `${pc.bgYellow(pc.black(' offline '))} ${pc.yellow('Every reply below is simulated by the provider’s wire kit on 127.0.0.1: no key, no network, no real model.')}\n${pc.dim('The SDKs, HTTP, retries, fallbacks and cost accounting are the real ones; the tokens are counted from the simulated text, the prices are the providers’ list prices.')}`
        : pc.yellow(
            `Live: these calls go to the real providers (${stops.map((s) => s.id).join(', ')}) and cost real money (a few cents at most).`,
          ),
    )
    if (missing.length && !flags.provider?.length) {
      await out(pc.dim(`Not installed, so not on the tour: ${missing.join(', ')}.`))
    }
    const ask: Message[] = [{ role: 'user', content: 'In one sentence: what is modelplex?' }]

    await heading('1. generate — one call per provider')
    for (const stop of stops) {
      const started = performance.now()
      try {
        const result = await stop.provider.generate({ messages: ask, maxOutputTokens: 200 })
        const facts = `${result.model} · ${result.usage?.totalTokens ?? '?'} tokens · ${money(result.cost)} · ${duration(performance.now() - started)}`
        await out(`  ${label(stop)}${clip(result.text, 60)}\n  ${' '.repeat(width)}${pc.dim(facts)}`)
      } catch (error) {
        await fail(stop, error)
      }
    }

    await heading('2. stream — text printed as it arrives')
    for (const stop of capable('stream')) {
      const stream = stop.provider.stream({
        messages: [{ role: 'user', content: 'Stream a short greeting.' }],
        maxOutputTokens: 200,
      })
      const clear = interrupt.during(() => stream.abort())
      try {
        await writeOut(`  ${label(stop)}`)
        let chunks = 0
        let shown = 0
        for await (const event of stream) {
          if (event.type === 'text-delta') {
            chunks++
            // Keep each provider on one line: the rest of the text still arrives, unprinted.
            const room = 70 - shown
            if (room > 0) await writeOut(event.text.replace(/\s+/g, ' ').slice(0, room))
            shown += event.text.length
          }
          if (event.type === 'finish') {
            await out(pc.dim(`${shown > 70 ? '…' : ''}  (${chunks} chunks, ${money(event.cost)})`))
          }
        }
      } catch (error) {
        if (interrupt.fired) {
          await out()
          throw error
        }
        await fail(stop, error, true)
      } finally {
        clear()
      }
    }

    await heading('3. a tool call — the model asks, the tool answers, the model replies')
    for (const stop of capable('tools')) {
      try {
        const messages: Message[] = [{ role: 'user', content: 'What is the weather in Paris?' }]
        const first = await stop.provider.generate({ messages, tools: [weatherTool], maxOutputTokens: 300 })
        const call = first.toolCalls[0]
        if (!call) {
          await out(`  ${label(stop)}${pc.yellow('no tool call')}: ${clip(first.text, 50)}`)
          continue
        }
        const output = { temperature: 18, unit: 'celsius', sky: 'clear' }
        messages.push(
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: call.input },
            ],
          },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output }],
          },
        )
        const second = await stop.provider.generate({ messages, tools: [weatherTool], maxOutputTokens: 300 })
        await out(`  ${label(stop)}${call.toolName}(${call.rawInput}) → ${pc.dim(clip(second.text, 40))}`)
      } catch (error) {
        await fail(stop, error)
      }
    }

    await heading('4. structured output — a zod schema in, a typed object out')
    for (const stop of capable('structuredOutput')) {
      try {
        const { object } = await stop.provider.generateObject({
          messages: [{ role: 'user', content: 'The largest city of France, its country and population.' }],
          schema: city,
          maxOutputTokens: 300,
        })
        await out(
          `  ${label(stop)}${JSON.stringify(object)} ${pc.dim(`(${stop.provider.capabilities.structuredOutput})`)}`,
        )
      } catch (error) {
        await fail(stop, error)
      }
    }

    await heading('5. embeddings')
    for (const stop of capable('embeddings')) {
      try {
        const result = await stop.provider.embed({ input: ['one interface', 'every provider'] })
        const vector = result.embeddings[0] ?? []
        await out(
          `  ${label(stop)}${result.embeddings.length} vectors × ${vector.length} dimensions ${pc.dim(
            `[${vector
              .slice(0, 3)
              .map((v) => v.toFixed(3))
              .join(', ')}, …] · ${result.model} · ${money(result.cost)}`,
          )}`,
        )
      } catch (error) {
        await fail(stop, error)
      }
    }

    await heading('6. a 429 with Retry-After, retried by core')
    const limited = stops[0]!
    if (global.offline) {
      const waits: string[] = []
      const provider = createProvider(limited.installed.spec, {
        ...limited.settings,
        retry: tourRetry,
        hooks: {
          ...record(limited.id),
          onRetry: ({
            error,
            attempt,
            delayMs,
          }: {
            error: Error & { status?: number }
            attempt: number
            delayMs: number
          }) => {
            waits.push(`${error.name} (${error.status}) → retry ${attempt} after ${duration(delayMs)}`)
          },
        },
      })
      try {
        const started = performance.now()
        const result = await provider.generate({ model: 'rate-limited-once', messages: ask })
        for (const wait of waits) await out(`  ${label(limited)}${pc.yellow('↻')} ${wait}`)
        await out(
          `  ${label(limited)}${pc.green('✔')} answered after ${duration(performance.now() - started)}: ${pc.dim(clip(result.text, 40))}`,
        )
      } catch (error) {
        await fail(limited, error)
      }
    } else {
      await out(pc.dim('  (offline only: a real provider cannot be asked for a 429 on demand)'))
    }

    await heading('7. a fallback chain — one provider fails, the next answers')
    const backup = stops[1] ?? stops[0]!
    const entries: Record<string, ProviderEntry> = {}
    for (const stop of new Set([limited, backup])) {
      entries[stop.id] = { ...stop.settings, load: async () => stop.installed.spec } as ProviderEntry
    }
    const failing = global.offline ? 'overloaded-model' : 'modelplex-no-such-model'
    const chain = [`${limited.id}:${failing}`, `${backup.id}:${backup.installed.spec.defaultModel}`]
    const events: string[] = []
    const client = createClient({
      providers: entries,
      retry: { maxRetries: 1, initialDelayMs: 50, maxDelayMs: 100 },
      fallback: chain,
      hooks: {
        onRetry: ({ provider, model, error, delayMs }) =>
          events.push(
            `${pc.yellow('↻')} ${provider}:${model} ${error.name} (${error.status}), retried after ${duration(delayMs)}`,
          ),
        onFallback: ({ from, to, error }) =>
          events.push(`${pc.yellow('⤳')} ${from} failed with ${error.name}: falling back to ${to}`),
        onResponse: (event) => record(event.provider).onResponse?.(event),
      },
    })
    try {
      const result = await client.generate({ messages: ask, maxOutputTokens: 200 })
      for (const event of events) await out(`  ${event}`)
      await out(
        `  ${pc.green('✔')} answered by ${result.provider}:${result.model}: ${pc.dim(clip(result.text, 40))}`,
      )
    } catch (error) {
      for (const event of events) await out(`  ${event}`)
      await fail(limited, error)
    }

    await heading('8. cost summary')
    const table = createTable(['Provider', 'Calls', 'Input tokens', 'Output tokens', 'Cost (USD)'])
    let total = 0
    let calls = 0
    for (const stop of stops) {
      const entry = spend.get(stop.id)
      if (!entry) continue
      total += entry.usd
      calls += entry.calls
      const cost = entry.usd === 0 && entry.unpriced ? 'unpriced' : usd(entry.usd)
      table.push([stop.id, entry.calls, entry.inputTokens, entry.outputTokens, cost])
    }
    table.push([pc.bold('total'), pc.bold(String(calls)), '', '', pc.bold(usd(total))])
    await out(table.toString())
    await out(
      global.offline
        ? pc.dim(
            'Simulated replies, real list prices. Run it live: set a key (e.g. OPENAI_API_KEY) and run modelplex tour.',
          )
        : pc.dim('Real calls, real prices.'),
    )
    if (failures) {
      process.stderr.write(pc.red(`${failures} step(s) failed; run again with --debug for details.\n`))
      return 1
    }
    return 0
  } catch (error) {
    if (interrupt.fired) {
      interrupt.notice()
      return 130
    }
    return report(error, {}, global.debug)
  } finally {
    interrupt.dispose()
    await Promise.all(closers.map((close) => close()))
  }
}
