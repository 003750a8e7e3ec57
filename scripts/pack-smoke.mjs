// Installs the packed tarballs of core, provider-openai-compatible and provider-openai into a
// fresh npm project and a fresh pnpm project, and drives them against the OpenAI wire kit served
// on loopback. Also proves the SDK is lazy: a project without `openai` imports fine and the first
// call names `npm i openai`. Part of `pnpm test`.
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { openAIScenarios } from './lib/openai-scenarios.mjs'
import { serveHandlers } from './lib/serve-handlers.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const packages = ['core', 'provider-openai-compatible', 'provider-openai']
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
const tarballs = {}
for (const name of packages) {
  run('pnpm', ['pack', '--pack-destination', tarballDir], join(root, 'packages', name))
}
for (const file of readdirSync(tarballDir)) {
  const name = packages.find(
    (p) => file === `modelplex-${p}-${file.match(/-(\d[^-]*(?:-[^.]+)?)\.tgz$/)?.[1]}.tgz`,
  )
  if (name) tarballs[`@modelplex/${name}`] = `file:${join(tarballDir, file)}`
}
if (Object.keys(tarballs).length !== packages.length) throw new Error(`packed ${readdirSync(tarballDir)}`)

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

const { createOpenAIKit } = await import(
  pathToFileURL(join(root, 'packages/provider-openai/dist/testing.js')).href
)
const kit = createOpenAIKit()
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
} finally {
  await served.close()
  rmSync(work, { recursive: true, force: true })
}
if (failures) {
  console.error(`pack-smoke: ${failures} project(s) failed`)
  process.exit(1)
}
console.log('\npack-smoke: npm, pnpm and no-SDK projects passed')
