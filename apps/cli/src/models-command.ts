import type { GlobalFlags } from './chat-command.js'
import { report } from './cli-errors.js'
import { writeOut } from './cli-format.js'
import { openSession, type Session } from './cli-session.js'

export interface ModelsFlags {
  provider?: string
  json?: boolean
}

/** `modelplex models -p <id>`: the models the provider lists, one per line. */
export async function runModels(flags: ModelsFlags, global: GlobalFlags): Promise<number> {
  let session: Session | undefined
  try {
    session = await openSession({ provider: flags.provider, offline: global.offline })
    const models = await session.provider.listModels()
    if (flags.json) {
      await writeOut(`${JSON.stringify({ provider: session.id, models, simulated: session.offline })}\n`)
      return 0
    }
    const width = Math.max(0, ...models.map((model) => model.id.length))
    const lines = models.map((model) => {
      const extra = [
        model.ownedBy,
        model.contextWindow ? `${model.contextWindow.toLocaleString('en')} tokens` : '',
      ]
        .filter(Boolean)
        .join(' · ')
      return extra ? `${model.id.padEnd(width)}  ${extra}` : model.id
    })
    await writeOut(`${lines.join('\n')}\n`)
    process.stderr.write(
      `${models.length} models from ${session.spec.name}${session.offline ? ' (simulated)' : ''}\n`,
    )
    return 0
  } catch (error) {
    return report(error, session?.context ?? {}, global.debug)
  } finally {
    await session?.close()
  }
}
