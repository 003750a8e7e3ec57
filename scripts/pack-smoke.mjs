// Installs the packed tarballs of core, provider-openai-compatible and provider-openai into a
// fresh npm project and a fresh pnpm project, then every other provider alone in its own npm project, and drives them against the OpenAI wire kit served
// on loopback. Also proves the SDK is lazy: a project without `openai` imports fine and the first
// call names `npm i openai`. Part of `pnpm test`.
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { openAIScenarios } from './lib/openai-scenarios.mjs'
import { serveHandlers } from './lib/serve-handlers.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const packages = readdirSync(join(root, 'packages')).filter(
  (name) => name === 'core' || name.startsWith('provider-'),
)
const versions = { openai: '6.49.0', zod: '4.6.7' }
const work = mkdtempSync(join(tmpdir(), 'modelplex-smoke-'))
const quiet = { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }

const execFileAsync = promisify(execFile)

/** Runs a client without blocking this process, which serves the kit it talks to. */
async function runClient(args, cwd) {
  try {
    const { stdout } = await execFileAsync('node', args, { cwd, encoding: 'utf8', timeout: 120_000 })
    return stdout
  } catch (error) {
    error.stdout = `${error.stdout ?? ''}${error.stderr ?? ''}`
    throw error
  }
}

function run(command, args, cwd) {
  try {
    return execFileSync(command, args, {
      ...quiet,
      cwd,
      env: { ...process.env, npm_config_loglevel: 'error' },
    })
  } catch (error) {
    console.error(error.stdout, error.stderr)
    throw error
  }
}

const tarballDir = join(work, 'tarballs')
mkdirSync(tarballDir)
const allTarballs = {}
for (const name of packages) {
  run('pnpm', ['pack', '--pack-destination', tarballDir], join(root, 'packages', name))
}
for (const file of readdirSync(tarballDir)) {
  const name = packages.find(
    (p) => file === `modelplex-${p}-${file.match(/-(\d[^-]*(?:-[^.]+)?)\.tgz$/)?.[1]}.tgz`,
  )
  if (name) allTarballs[`@modelplex/${name}`] = `file:${join(tarballDir, file)}`
}
if (Object.keys(allTarballs).length !== packages.length) throw new Error(`packed ${readdirSync(tarballDir)}`)
const pick = (...names) => Object.fromEntries(names.map((name) => [name, allTarballs[name]]))
// The OpenAI projects hold core, the shared translation and provider-openai only.
const tarballs = pick(
  '@modelplex/core',
  '@modelplex/provider-openai-compatible',
  '@modelplex/provider-openai',
)

function project(dir, withSdk) {
  mkdirSync(dir, { recursive: true })
  const dependencies = { ...tarballs, zod: versions.zod, ...(withSdk ? { openai: versions.openai } : {}) }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'smoke',
        private: true,
        type: 'module',
        dependencies,
        overrides: tarballs,
        pnpm: { overrides: tarballs },
      },
      null,
      2,
    ),
  )
  cpSync(join(root, 'scripts/smoke'), dir, { recursive: true })
}

const { createOpenAIWireKit } = await import(
  pathToFileURL(join(root, 'packages/provider-openai/dist/testing.js')).href
)
const kit = createOpenAIWireKit()
const served = await serveHandlers((url) => kit.handlers(openAIScenarios(kit), `${url}/v1`))

let failures = 0
try {
  for (const manager of ['npm', 'pnpm']) {
    const dir = join(work, manager)
    project(dir, true)
    const started = Date.now()
    if (manager === 'npm') run('npm', ['install', '--no-audit', '--no-fund'], dir)
    else run('pnpm', ['install', '--config.node-linker=isolated', '--no-frozen-lockfile'], dir)
    console.log(
      `\n# ${manager} project: installed tarballs in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    try {
      process.stdout.write(await runClient(['smoke-client.mjs', `${served.url}/v1`, kit.apiKey], dir))
    } catch (error) {
      failures++
      process.stdout.write(error.stdout ?? '')
    }
  }
  const bare = join(work, 'without-sdk')
  project(bare, false)
  run('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps'], bare)
  console.log('\n# npm project without the openai SDK')
  try {
    process.stdout.write(await runClient(['missing-sdk-client.mjs'], bare))
  } catch (error) {
    failures++
    process.stdout.write(error.stdout ?? '')
  }
  // Every other provider on its own: core, the provider (and the shared translation when it
  // depends on it) from tarballs, zod, and whatever npm installs for the provider's required
  // peers — its SDK — exactly what `npm i @modelplex/core @modelplex/provider-<id>` gives a user.
  const { serveKit } = await import(pathToFileURL(join(root, 'packages/conformance/dist/index.js')).href)
  const ids = packages
    .filter((p) => p.startsWith('provider-') && p !== 'provider-openai')
    .map((p) => p.slice(9))
  console.log(`\n# ${ids.length} providers, each alone in a fresh npm project against its wire kit`)
  const started = Date.now()
  const queue = [...ids]
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        process.stdout.write(`${await providerProject(id)}\n`)
      } catch (error) {
        failures++
        process.stdout.write(`FAIL ${id}: ${error.stdout ?? ''}${error.stderr ?? ''}${error.message}\n`)
      }
    }
  }
  await Promise.all([worker(), worker(), worker()])
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)

  async function providerProject(id) {
    const packageDir = join(root, 'packages', `provider-${id}`)
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
    const internal = Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@modelplex/'))
    const own = pick('@modelplex/core', `@modelplex/provider-${id}`, ...internal)
    const dir = join(work, `provider-${id}`)
    mkdirSync(dir, { recursive: true })
    const pkg = {
      name: `smoke-${id}`,
      private: true,
      type: 'module',
      dependencies: { ...own, zod: versions.zod },
      overrides: own,
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2))
    cpSync(join(root, 'scripts/smoke/provider-client.mjs'), join(dir, 'provider-client.mjs'))
    await execFileAsync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      timeout: 300_000,
    })
    const { kit } = await import(pathToFileURL(join(packageDir, 'dist/testing.js')).href)
    const { default: spec } = await import(pathToFileURL(join(packageDir, 'dist/index.js')).href)
    const kitServer = await serveKit(kit)
    try {
      const embedding = spec.capabilities.embeddings
        ? (kit.models.embedding ?? spec.defaultEmbeddingModel)
        : ''
      const args = [
        'provider-client.mjs',
        id,
        JSON.stringify(kitServer.settings),
        kit.models.chat,
        embedding,
        JSON.stringify(kit.v2 ?? {}),
      ]
      return (await runClient(args, dir)).trim()
    } finally {
      await kitServer.close()
    }
  }
} finally {
  await served.close()
  rmSync(work, { recursive: true, force: true })
}
if (failures) {
  console.error(`pack-smoke: ${failures} project(s) failed`)
  process.exit(1)
}
console.log('\npack-smoke: the npm, pnpm and no-SDK OpenAI projects and every provider alone passed')
