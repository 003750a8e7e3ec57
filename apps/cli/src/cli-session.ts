import type { ServedKit } from '@modelplex/conformance'
import {
  createProvider,
  detectionOrder,
  detectionVariables,
  detectProviderIds,
  findPrice,
  type Hooks,
  type Provider,
  type ProviderSpec,
  type RetryOptions,
} from '@modelplex/core'
import pc from 'picocolors'
import { CliError, type ErrorContext } from './cli-errors.js'
import {
  type InstalledProvider,
  loadAllInstalled,
  loadInstalled,
  loadKit,
  packageOf,
  providerIds,
} from './cli-providers.js'

/** Milliseconds between streamed chunks offline, so a simulated stream looks like one. */
export function offlinePaceMs(): number {
  const value = Number(process.env.MODELPLEX_OFFLINE_PACE_MS)
  return Number.isFinite(value) && value >= 0 ? value : 12
}

/** The environment variables that configure a provider: its key variables, else detection's. */
export function keyVariables(spec: ProviderSpec<any>): readonly string[] {
  const own = spec.env.apiKey ?? []
  const detected = detectionOrder.includes(spec.id) ? detectionVariables(spec) : []
  return [...new Set([...own, ...detected])]
}

/** How the environment configures a provider: the variable that is set, or undefined. */
export function configuredBy(spec: ProviderSpec<any>): string | undefined {
  return (
    keyVariables(spec).find((name) => process.env[name]) ??
    spec.env.baseURL?.find((name) => process.env[name])
  )
}

/** A provider served by its wire kit on loopback. */
export interface OfflineProvider {
  served: ServedKit
  settings: Record<string, unknown>
  /** Model ids the simulated vendor knows. */
  models: string[]
}

/** Serves a provider's wire kit on 127.0.0.1 with the demo scenarios; replies are simulated. */
export async function startOffline(installed: InstalledProvider, paceMs: number): Promise<OfflineProvider> {
  const { demoScenarios, serveKit } = await import('@modelplex/conformance')
  // The AWS SDK's notice about future Node versions says nothing about a simulated reply.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const { spec } = installed
  const kit = await loadKit(installed.id)
  const models = [
    ...new Set(
      [
        kit.models.chat,
        kit.models.embedding,
        spec.defaultModel,
        spec.defaultEmbeddingModel,
        ...Object.keys(spec.pricing.models),
        ...Object.keys(spec.contextWindows ?? {}),
      ].filter((model): model is string => Boolean(model)),
    ),
  ]
  const known = new Set(models)
  const serve = demoScenarios(kit, {
    name: spec.name,
    models,
    knows: (model) => known.has(model) || findPrice(spec.pricing, model) !== undefined,
  })
  const served = await serveKit(kit, { serve, paceMs })
  return { served, settings: served.settings, models }
}

/** The line that says, plainly, that what follows is simulated. */
export function offlineNotice(names: string, url?: string): string {
  const where = url ? ` on ${url}` : ' on 127.0.0.1'
  return `${pc.bgYellow(pc.black(' offline '))} ${pc.yellow(`replies are simulated by the ${names} wire kit${where}: no key, no network, no real model.`)}`
}

/** `provider:model` when the prefix names a shipped provider; anything else is a bare model (e.g. `llama3.2:3b`). */
export function splitModel(model: string | undefined): { providerId?: string; model?: string } {
  if (!model) return {}
  const colon = model.indexOf(':')
  if (colon > 0 && providerIds.includes(model.slice(0, colon))) {
    return { providerId: model.slice(0, colon), model: model.slice(colon + 1) || undefined }
  }
  return { model }
}

function unknownProvider(id: string): CliError {
  return new CliError(
    `Unknown provider "${id}". Use one of: ${providerIds.join(', ')} (see: modelplex providers).`,
  )
}

/** Everything a command needs to call one provider. */
export interface Session {
  id: string
  spec: ProviderSpec<any>
  provider: Provider
  /** The model the user asked for, or the provider's default. */
  model: string
  /** The embedding model the user asked for, or the provider's default. */
  embeddingModel: string
  offline: boolean
  context: ErrorContext
  close(): Promise<void>
}

export interface SessionOptions {
  provider?: string
  model?: string
  offline: boolean
  hooks?: Hooks
  retry?: RetryOptions
}

/** Picks the provider (flag, `provider:` prefix, then the environment) and connects to it. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const split = splitModel(options.model)
  if (options.provider && split.providerId && split.providerId !== options.provider) {
    throw new CliError(
      `-p ${options.provider} and -m ${options.model} name different providers: pass one of them.`,
    )
  }
  let id = options.provider ?? split.providerId
  if (id !== undefined && !providerIds.includes(id)) throw unknownProvider(id)
  if (id === undefined) id = await pickProvider(options.offline)
  const installed = await loadInstalled(id)
  if (!installed) {
    throw new CliError(`The ${id} provider is not installed next to the CLI. Run: npm i -g ${packageOf(id)}`)
  }
  const { spec } = installed
  const context: ErrorContext = {
    providerId: id,
    providerName: spec.name,
    keyVariables: keyVariables(spec),
    offline: options.offline,
    ...(split.model ? { model: split.model } : {}),
  }
  let settings: Record<string, unknown> = {}
  let close = async () => {}
  if (options.offline) {
    const offline = await startOffline(installed, offlinePaceMs())
    settings = offline.settings
    close = () => offline.served.close()
    process.stderr.write(`${offlineNotice(spec.name, offline.served.url)}\n`)
  }
  const provider = createProvider(spec, {
    ...settings,
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  })
  return {
    id,
    spec,
    provider,
    model: split.model ?? spec.defaultModel,
    embeddingModel: split.model ?? spec.defaultEmbeddingModel ?? spec.defaultModel,
    offline: options.offline,
    context: { ...context, model: split.model ?? spec.defaultModel },
    close,
  }
}

/** The provider to use when none is named: offline, the first shipped; else the environment's. */
async function pickProvider(offline: boolean): Promise<string> {
  const installed = await loadAllInstalled()
  if (offline) {
    const first = installed[0]
    if (!first)
      throw new CliError('No provider package is installed next to the CLI. Reinstall: npm i -g modelplex')
    return first.id
  }
  const configured = await detectProviderIds({ ollamaTimeoutMs: 300 })
  const usable = configured.find((id) => installed.some((entry) => entry.id === id))
  if (usable) return usable
  // Only what detection reads: naming a variable it ignores would send the user in circles.
  const variables = detectionOrder
    .map((id) => installed.find((provider) => provider.id === id))
    .map((provider) => provider && detectionVariables(provider.spec)[0])
    .filter((name) => name !== undefined)
  throw new CliError(
    `No provider is configured. Set one of ${variables.join(', ')} (or start Ollama), or add --offline to try it with simulated replies.`,
  )
}
