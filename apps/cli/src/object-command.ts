import type { GenerationFlags, GlobalFlags } from './chat-command.js'
import { report } from './cli-errors.js'
import { statsLine, writeOut } from './cli-format.js'
import { Interrupt } from './cli-interrupt.js'
import { openSession, type Session } from './cli-session.js'
import { readSchemaFile } from './schema-file.js'

export interface ObjectFlags extends GenerationFlags {
  schema: string
}

/** `modelplex object --schema <file.json> [prompt…]`: a reply validated against the schema, printed as JSON. */
export async function runObject(words: string[], flags: ObjectFlags, global: GlobalFlags): Promise<number> {
  const interrupt = new Interrupt()
  let session: Session | undefined
  try {
    // The file is checked before any provider is touched: a bad file needs no network to report.
    const { schema } = await readSchemaFile(flags.schema)
    session = await openSession({ provider: flags.provider, model: flags.model, offline: global.offline })
    const prompt = words.join(' ').trim() || 'Give one realistic example that fits the schema.'
    const controller = new AbortController()
    interrupt.during(() => controller.abort())
    const started = performance.now()
    const result = await session.provider.generateObject({
      model: session.model,
      messages: [
        ...(flags.system ? [{ role: 'system' as const, content: flags.system }] : []),
        { role: 'user', content: prompt },
      ],
      schema,
      signal: controller.signal,
      ...(flags.temperature !== undefined ? { temperature: flags.temperature } : {}),
      ...(flags.maxTokens !== undefined ? { maxOutputTokens: flags.maxTokens } : {}),
    })
    const latencyMs = performance.now() - started
    if (flags.json) {
      const { object, usage, cost, model } = result
      await writeOut(
        `${JSON.stringify({ provider: session.id, model, object, usage, cost, latencyMs: Math.round(latencyMs), simulated: session.offline })}\n`,
      )
    } else {
      await writeOut(`${JSON.stringify(result.object, null, 2)}\n`)
      process.stderr.write(
        `${statsLine({ provider: session.id, model: session.model, usage: result.usage, cost: result.cost, latencyMs, simulated: session.offline })}\n`,
      )
    }
    return 0
  } catch (error) {
    return report(error, session?.context ?? {}, global.debug)
  } finally {
    interrupt.dispose()
    await session?.close()
  }
}
