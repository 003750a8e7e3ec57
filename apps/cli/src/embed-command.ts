import type { GlobalFlags } from './chat-command.js'
import { report } from './cli-errors.js'
import { statsLine, writeOut } from './cli-format.js'
import { Interrupt } from './cli-interrupt.js'
import { openSession, type Session } from './cli-session.js'

export interface EmbedFlags {
  provider?: string
  model?: string
  dimensions?: number
  json?: boolean
}

const preview = (vector: number[]): string =>
  `[${vector
    .slice(0, 4)
    .map((value) => value.toFixed(4))
    .join(', ')}${vector.length > 4 ? ', …' : ''}]`

/** `modelplex embed <text…>`: one vector per argument; a preview, or every number with --json. */
export async function runEmbed(texts: string[], flags: EmbedFlags, global: GlobalFlags): Promise<number> {
  const interrupt = new Interrupt()
  let session: Session | undefined
  try {
    session = await openSession({ provider: flags.provider, model: flags.model, offline: global.offline })
    session.context.model = session.embeddingModel
    const controller = new AbortController()
    interrupt.during(() => controller.abort())
    const started = performance.now()
    const result = await session.provider.embed({
      model: session.embeddingModel,
      input: texts,
      signal: controller.signal,
      ...(flags.dimensions !== undefined ? { dimensions: flags.dimensions } : {}),
    })
    const latencyMs = performance.now() - started
    if (flags.json) {
      const { embeddings, usage, cost, model } = result
      await writeOut(
        `${JSON.stringify({ provider: session.id, model, embeddings, usage, cost, latencyMs: Math.round(latencyMs), simulated: session.offline })}\n`,
      )
      return 0
    }
    const lines = result.embeddings.map((vector, index) => {
      const text = texts[index] ?? ''
      const label = text.length > 40 ? `${text.slice(0, 37)}…` : text
      return `${JSON.stringify(label)} → ${vector.length} dimensions ${preview(vector)}`
    })
    await writeOut(`${lines.join('\n')}\n`)
    process.stderr.write(
      `${statsLine({ provider: session.id, model: result.model, usage: result.usage, cost: result.cost, latencyMs, simulated: session.offline })}\n`,
    )
    return 0
  } catch (error) {
    return report(error, session?.context ?? {}, global.debug)
  } finally {
    interrupt.dispose()
    await session?.close()
  }
}
