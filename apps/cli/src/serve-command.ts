import { randomBytes } from 'node:crypto'
import pc from 'picocolors'
import type { GlobalFlags } from './chat-command.js'
import { CliError, report } from './cli-errors.js'
import { writeOut } from './cli-format.js'
import { loadAllInstalled, packageOf, providerIds } from './cli-providers.js'
import { offlineNotice, offlinePaceMs, startOffline } from './cli-session.js'

export interface ServeFlags {
  config?: string
  port?: number
  host?: string
}

/** Imports a module from the CLI's own node_modules; a specifier the bundler must leave alone. */
function importHere(specifier: string): Promise<any> {
  return import(specifier)
}

/**
 * `modelplex serve`: runs @modelplex/gateway from a config file, or `--offline` over every
 * installed provider's wire kit with a generated key. This command only wires; the gateway
 * package does the serving.
 */
export async function runServe(flags: ServeFlags, global: GlobalFlags): Promise<number> {
  const closers: Array<() => Promise<void>> = []
  try {
    const { createGateway, loadGatewayConfig } = await importHere('@modelplex/gateway')
    let gateway: ReturnType<typeof createGateway>
    let key: string | undefined
    if (global.offline) {
      const installed = await loadAllInstalled()
      const providers: Record<string, unknown> = {}
      const models: Record<string, { targets: string[] }> = {}
      for (const entry of installed) {
        const offline = await startOffline(entry, offlinePaceMs())
        closers.push(() => offline.served.close())
        providers[entry.id] = { ...offline.settings, load: () => importHere(packageOf(entry.id)) }
        models[entry.id] = { targets: [`${entry.id}:${entry.spec.defaultModel}`] }
      }
      key = `sk-offline-${randomBytes(18).toString('base64url')}`
      gateway = createGateway(
        {
          models,
          allowProviderModels: true,
          retry: { maxRetries: 1 },
          keys: [{ id: 'offline', secret: key }],
        },
        { providers },
      )
      process.stderr.write(`${offlineNotice(installed.map((entry) => entry.spec.name).join(', '))}\n`)
    } else {
      if (!flags.config)
        throw new CliError(
          'modelplex serve needs --config <gateway.yaml>, or --offline to serve the wire kits.',
        )
      const config = await loadGatewayConfig(flags.config)
      // The providers this CLI ships load from its own node_modules, wherever it runs.
      const providers: Record<string, unknown> = {}
      for (const id of Object.keys(config.providers))
        if (providerIds.includes(id)) providers[id] = { load: () => importHere(packageOf(id)) }
      gateway = createGateway(config, { providers })
    }
    const server = await gateway.listen({ port: flags.port ?? 4000, hostname: flags.host ?? '127.0.0.1' })
    closers.unshift(() => server.close())
    // One write, so whoever reads the first line (a test, a script) gets the key with the URL.
    await writeOut(`${pc.green('modelplex gateway')} on ${server.url}/v1\n${key ? `key ${key}\n` : ''}`)
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    return 0
  } catch (error) {
    return report(error, {}, global.debug)
  } finally {
    for (const close of closers) await close().catch(() => undefined)
  }
}
