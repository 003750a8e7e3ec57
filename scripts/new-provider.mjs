#!/usr/bin/env node
// `pnpm new:provider <id>`: scaffolds packages/provider-<id> (package.json, configs, spec,
// wire kit, conformance test wired in, unit test, README), its docs page, its CODEOWNERS line and
// its changeset. `--openai-compatible` builds on the shared OpenAI translation and passes the
// conformance suite at once; without it the package wraps the vendor SDK named by `--sdk`, and
// its conformance test fails until the adapter and the kit (on `defineWireKit`) are written.
// Importable: `scaffoldProvider(options)` is what the end-to-end test drives.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { camelCase, envPrefix, pascalCase, providerFiles } from './templates/provider-templates.mjs'

const USAGE = `Usage: pnpm new:provider <id> [options]

  <id>                     lowercase letters, digits and "-": the package is @modelplex/provider-<id>

Options:
  --openai-compatible      build on @modelplex/provider-openai-compatible (the openai SDK as peer)
  --sdk <package>[@range]  the vendor SDK, a required peer (bare providers), e.g. --sdk groq-sdk@^1.0.0
  --name <name>            display name (default: the id, capitalised)
  --base-url <url>         the vendor's API root (default https://api.<id>.com/v1)
  --default-model <model>  the default chat model (default: "default")
  --owner <@handle>        the CODEOWNERS maintainer (default @modelplex/core-team)
  --root <dir>             the repository root (default: this script's repository)
  --force                  overwrite an existing package
  -h, --help               this text
`

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
const DEFAULT_OWNER = '@modelplex/core-team'
const OPENAI_SDK = { package: 'openai', range: '^6.0.0' }

/** `groq-sdk@^1.0.0` → { package, range }; `@scope/sdk` keeps its scope. */
export function parseSdk(spec) {
  const at = spec.lastIndexOf('@')
  if (at > 0) return { package: spec.slice(0, at), range: spec.slice(at + 1) }
  return { package: spec, range: undefined }
}

/** The version the workspace already installs, from node_modules/.pnpm folder names. */
function installedVersion(root, packageName) {
  const store = join(root, 'node_modules', '.pnpm')
  if (!existsSync(store)) return undefined
  const prefix = `${packageName.replace('/', '+')}@`
  const versions = readdirSync(store)
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length).split('_')[0])
    .filter((version) => /^\d+\.\d+\.\d+$/.test(version))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
  return versions[0]
}

/** Asks the npm registry for the latest version (only when no range was given and none is installed). */
function latestVersion(packageName) {
  try {
    const out = execFileSync('npm', ['view', packageName, 'version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    })
    return out.trim() || undefined
  } catch {
    return undefined
  }
}

/** True when `version` is inside a caret range `^x.y.z` (the only form worth reusing an install for). */
export function satisfiesCaret(version, range) {
  const base = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range)?.slice(1).map(Number)
  const got = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)?.slice(1).map(Number)
  if (!base || !got) return false
  // ^1.2.3 keeps the major; ^0.2.3 keeps the minor too.
  if (got[0] !== base[0] || (base[0] === 0 && got[1] !== base[1])) return false
  for (let i = 0; i < 3; i++) if (got[i] !== base[i]) return got[i] > base[i]
  return true
}

/** Range for the peer and exact version for the devDependency, as every provider pins them. */
function resolveSdk(root, given) {
  const { package: packageName, range } = given
  if (range) {
    const exact = /^[\^~]?(\d+\.\d+\.\d+)$/.exec(range)?.[1]
    const installed = installedVersion(root, packageName)
    const devVersion = installed && satisfiesCaret(installed, range) ? installed : (exact ?? range)
    return { package: packageName, range, devVersion }
  }
  const version = installedVersion(root, packageName) ?? latestVersion(packageName)
  if (!version) throw new Error(`cannot find a version of ${packageName}; pass --sdk ${packageName}@<range>`)
  return { package: packageName, range: `^${version}`, devVersion: version }
}

function rootVersions(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const dev = pkg.devDependencies ?? {}
  return { msw: dev.msw ?? '2.15.0', vitest: dev.vitest ?? '4.1.12', zod: dev.zod ?? '4.6.7' }
}

/**
 * Adds `/packages/provider-<id>/  <owner>` among the provider lines of CODEOWNERS, in order,
 * aligned with its neighbours. Returns the new text (unchanged when the line exists).
 */
export function addCodeownersLine(text, id, owner) {
  const path = `/packages/provider-${id}/`
  const lines = text.split('\n')
  if (lines.some((line) => line.trim().split(/\s+/)[0] === path)) return text
  const providerLines = lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.startsWith('/packages/provider-'))
  const column = providerLines[0]?.line.search(/\s@/) ?? -1
  const width = Math.max(column + 1, path.length + 1)
  const newLine = `${path.padEnd(width)}${owner}`
  if (providerLines.length === 0) {
    const body = text.endsWith('\n') ? text : `${text}\n`
    return `${body}\n# One line per provider package, naming its maintainer.\n${newLine}\n`
  }
  const after = providerLines.filter(({ line }) => line.split(/\s+/)[0] < path).at(-1)
  const insertAt = after ? after.index + 1 : providerLines[0].index
  lines.splice(insertAt, 0, newLine)
  return lines.join('\n')
}

/** Formats the new files as `pnpm lint` expects (line width depends on the id); skipped without Biome. */
function formatWithBiome(root, paths) {
  const biome = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome')
  const files = paths.filter((path) => /\.(ts|json)$/.test(path))
  if (!existsSync(biome) || files.length === 0) return
  try {
    execFileSync(process.execPath, [biome, 'check', '--write', '--vcs-enabled=false', ...files], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch {
    // A lint finding that --write cannot fix is reported by `pnpm lint`, not here.
  }
}

/** The values every template reads, from the scaffold's options; validates the id and the SDK. */
export function providerContext(options) {
  const root = resolve(options.root)
  const { id } = options
  if (!ID.test(id ?? ''))
    throw new Error(`"${id}" is not a provider id: use lowercase letters, digits and "-"`)
  const openAICompatible = Boolean(options.openAICompatible)
  if (!openAICompatible && !options.sdk) {
    throw new Error(
      'a bare provider wraps its vendor SDK: pass --sdk <package>[@range], or --openai-compatible',
    )
  }
  const sdkGiven = openAICompatible ? OPENAI_SDK : parseSdk(options.sdk)
  return {
    id,
    name: options.name ?? pascalCase(id).replace(/([a-z])([A-Z])/g, '$1 $2'),
    pascal: pascalCase(id),
    camel: camelCase(id),
    env: envPrefix(id),
    openAICompatible,
    sdk: resolveSdk(root, sdkGiven),
    baseURL: options.baseURL ?? `https://api.${id}.com/v1`,
    pricingURL: options.pricingURL ?? 'TODO: the pricing page URL',
    defaultModel: options.defaultModel ?? 'default',
    today: options.today ?? new Date().toISOString().slice(0, 10),
    versions: rootVersions(root),
  }
}

/**
 * Writes the package, its docs page, changeset and CODEOWNERS line under `options.root`.
 * Returns the written paths (relative to the root).
 */
export function scaffoldProvider(options) {
  const root = resolve(options.root)
  const context = providerContext(options)
  if (existsSync(join(root, 'packages', `provider-${context.id}`)) && !options.force)
    throw new Error(`packages/provider-${context.id} exists (use --force to overwrite)`)
  const written = []
  for (const [path, content] of Object.entries(providerFiles(context))) {
    const target = join(root, path)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, content)
    written.push(path)
  }
  formatWithBiome(root, written)
  const codeowners = join(root, 'CODEOWNERS')
  const before = existsSync(codeowners) ? readFileSync(codeowners, 'utf8') : ''
  const after = addCodeownersLine(before, context.id, options.owner ?? DEFAULT_OWNER)
  if (after !== before) {
    writeFileSync(codeowners, after)
    written.push('CODEOWNERS')
  }
  return written
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'openai-compatible': { type: 'boolean' },
      sdk: { type: 'string' },
      name: { type: 'string' },
      'base-url': { type: 'string' },
      'default-model': { type: 'string' },
      owner: { type: 'string' },
      root: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help || positionals.length !== 1) {
    console.log(USAGE)
    process.exit(values.help ? 0 : 1)
  }
  const id = positionals[0]
  const root = values.root ?? resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const written = scaffoldProvider({
    root,
    id,
    openAICompatible: values['openai-compatible'],
    sdk: values.sdk,
    name: values.name,
    baseURL: values['base-url'],
    defaultModel: values['default-model'],
    owner: values.owner,
    force: values.force,
  })
  console.log(`Created @modelplex/provider-${id}:\n${written.map((path) => `  ${path}`).join('\n')}`)
  console.log(`
Next:
  pnpm install
  pnpm --filter @modelplex/provider-${id} build
  pnpm --filter @modelplex/provider-${id} conformance   # ${values['openai-compatible'] ? 'passes now; add the vendor quirks and prices' : `fails until src/${id}-adapter.ts and src/${id}-wire-kit.ts are written`}
Then follow docs/adding-a-provider.md and the checklist in .github/PULL_REQUEST_TEMPLATE.md.`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main()
  } catch (error) {
    console.error(`new:provider: ${error instanceof Error ? error.message : error}`)
    process.exit(1)
  }
}
