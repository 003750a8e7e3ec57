import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Capabilities, detectionOrder, detectionVariables, type ProviderSpec } from '@modelplex/core'
import pc from 'picocolors'
import type { GlobalFlags } from './chat-command.js'
import { report } from './cli-errors.js'
import { createTable, writeOut } from './cli-format.js'
import { loadInstalled, packageOf, providerIds } from './cli-providers.js'
import { configuredBy, keyVariables } from './cli-session.js'

interface MatrixProvider {
  provider: string
  summary: Record<string, { pass: number; fail: number; unsupported: number; skipped: number }>
}

/** Walks up from `start` to the first directory holding `relative`. */
function findUp(start: string, relative: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, relative)
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

/** The conformance matrix: the repository's (fresh from `pnpm conformance`), else the copy bundled at build. */
export function findMatrix(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url))
  return (
    findUp(process.cwd(), 'docs/conformance-matrix/matrix.json') ??
    findUp(here, 'docs/conformance-matrix/matrix.json') ??
    (existsSync(join(here, 'matrix.json')) ? join(here, 'matrix.json') : undefined)
  )
}

function readMatrix(): Map<string, MatrixProvider> {
  const file = findMatrix()
  const byId = new Map<string, MatrixProvider>()
  if (!file) return byId
  try {
    const matrix = JSON.parse(readFileSync(file, 'utf8')) as { providers?: MatrixProvider[] }
    // A package that runs the suite twice (variants) shows its first run.
    for (const entry of matrix.providers ?? []) if (!byId.has(entry.provider)) byId.set(entry.provider, entry)
  } catch {
    // An unreadable matrix leaves the column empty; the table is still useful.
  }
  return byId
}

/** The capabilities a spec claims, in a short form; structured output names its mode unless it is native. */
export function capabilityList(capabilities: Capabilities): string {
  const mode = capabilities.structuredOutput
  const claimed = [
    capabilities.stream && 'stream',
    capabilities.tools && 'tools',
    mode && (mode === 'json-schema' ? 'object' : `object(${mode})`),
    capabilities.embeddings && 'embed',
    capabilities.vision && 'vision',
    capabilities.listModels && 'models',
  ]
  return claimed.filter(Boolean).join(' ')
}

function conformanceCell(entry: MatrixProvider | undefined): {
  text: string
  passed?: number
  claimed?: number
} {
  if (!entry) return { text: pc.dim('not run') }
  let passed = 0
  let failed = 0
  for (const group of Object.values(entry.summary)) {
    passed += group.pass
    failed += group.fail
  }
  const claimed = passed + failed
  const text = failed > 0 ? pc.red(`✘ ${passed}/${claimed}`) : pc.green(`✔ ${passed}/${claimed}`)
  return { text, passed, claimed }
}

function configuredCell(spec: ProviderSpec<any>): { text: string; by?: string } {
  const by = configuredBy(spec)
  if (by) return { text: pc.green(`✔ ${by}`), by }
  const keys = keyVariables(spec)
  // A keyless server (a local or self-hosted one) is configured by its URL.
  const detectedByVariable = detectionOrder.includes(spec.id) && detectionVariables(spec).length > 0
  if (spec.requiresApiKey === false && !detectedByVariable) {
    const url = spec.env.baseURL?.[0]
    return { text: pc.dim(url ? `set ${url}` : 'local, no key') }
  }
  return { text: pc.dim(`set ${keys[0] ?? 'its API key'}`) }
}

/** `modelplex providers`: what is installed and configured, defaults, capabilities and conformance. */
export async function runProviders(flags: { json?: boolean }, global: GlobalFlags): Promise<number> {
  try {
    const matrix = readMatrix()
    const rows = await Promise.all(
      providerIds.map(async (id) => ({ id, installed: await loadInstalled(id).catch(() => undefined) })),
    )
    if (flags.json) {
      const providers = rows.map(({ id, installed }) => ({
        id,
        package: packageOf(id),
        installed: installed ? installed.version : false,
        name: installed?.spec.name,
        configured: installed ? (configuredBy(installed.spec) ?? false) : false,
        defaultModel: installed?.spec.defaultModel,
        defaultEmbeddingModel: installed?.spec.defaultEmbeddingModel,
        capabilities: installed?.spec.capabilities,
        conformance: matrix.get(id)?.summary,
      }))
      await writeOut(`${JSON.stringify({ providers, offline: global.offline }, null, 2)}\n`)
      return 0
    }
    const table = createTable(
      ['Provider', 'Installed', 'Configured', 'Default model', 'Capabilities', 'Conformance'],
      { wordWrap: true, colWidths: [null, null, null, null, 22, null] as unknown as number[] },
    )
    for (const { id, installed } of rows) {
      if (!installed) {
        table.push([id, pc.red('✘'), pc.dim(`npm i ${packageOf(id)}`), '', '', ''])
        continue
      }
      const { spec } = installed
      const models = [spec.defaultModel, spec.defaultEmbeddingModel].filter(Boolean).join('\n')
      table.push([
        `${id}\n${pc.dim(spec.name)}`,
        pc.green('✔'),
        configuredCell(spec).text,
        models,
        capabilityList(spec.capabilities),
        conformanceCell(matrix.get(id)).text,
      ])
    }
    await writeOut(`${table.toString()}\n`)
    process.stderr.write('\n')
    const notes = [
      matrix.size
        ? 'Conformance: scenarios passed / claimed (modelplex conformance re-runs it).'
        : 'Conformance: run `modelplex conformance` in the repository to fill this column.',
      global.offline
        ? 'Offline: every provider answers from its wire kit on 127.0.0.1 (simulated replies).'
        : 'Try any of them without a key: modelplex chat -p <id> --offline "Hi"',
    ]
    process.stderr.write(pc.dim(`${notes.join('\n')}\n`))
    return 0
  } catch (error) {
    return report(error, {}, global.debug)
  }
}
