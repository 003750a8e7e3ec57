// The files `pnpm new:provider` writes. Plain functions of one context object, so the scaffold
// and its tests render exactly the same text. Two variants: `openai-compatible` (the shared
// OpenAI translation, conformance passes at once) and `bare` (the vendor's own SDK; the adapter
// and the vendor half of the `defineWireKit` kit are left for the contributor, and conformance
// fails until they exist).

/** `acme-ai` → `AcmeAi`. */
export function pascalCase(id) {
  return id
    .split('-')
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')
}

/** `acme-ai` → `acmeAi`. */
export function camelCase(id) {
  const pascal = pascalCase(id)
  return pascal[0].toLowerCase() + pascal.slice(1)
}

/** `acme-ai` → `ACME_AI`. */
export function envPrefix(id) {
  return id.toUpperCase().replaceAll('-', '_')
}

function json(value) {
  return `${JSON.stringify(value, null, 2)}\n`
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)))
}

function entry(name) {
  return {
    '@modelplex/source': `./src/${name}.ts`,
    import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
    require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
  }
}

export function packageJson(c) {
  const dependencies = c.openAICompatible
    ? { '@modelplex/provider-openai-compatible': 'workspace:^' }
    : undefined
  const pkg = {
    name: `@modelplex/provider-${c.id}`,
    version: '0.0.0',
    description: `modelplex provider for ${c.name}.`,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    repository: {
      type: 'git',
      url: 'git+https://github.com/modelplex/modelplex.git',
      directory: `packages/provider-${c.id}`,
    },
    keywords: ['llm', c.id, 'modelplex', 'provider'],
    engines: { node: '>=20' },
    exports: { '.': entry('index'), './testing': entry('testing'), './package.json': './package.json' },
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.cts',
    files: ['dist'],
    scripts: {
      build: 'tsup',
      typecheck: 'tsc -p tsconfig.json',
      test: "vitest run --exclude 'src/**/*.conformance.test.ts'",
      conformance: `vitest run src/${c.id}.conformance.test.ts`,
    },
    ...(dependencies ? { dependencies } : {}),
    // A pre-1.0 range, not `workspace:^`: see docs/decisions.md, "Peer ranges on core before 1.0".
    peerDependencies: sortKeys({
      '@modelplex/conformance': '>=0.0.0 <1.0.0',
      '@modelplex/core': '>=0.0.0 <1.0.0',
      msw: '^2.0.0',
      [c.sdk.package]: c.sdk.range,
      zod: '^4.0.0',
    }),
    // The SDK stays a required peer: npm installs it with the provider. The kit's tools are optional.
    peerDependenciesMeta: { '@modelplex/conformance': { optional: true }, msw: { optional: true } },
    devDependencies: sortKeys({
      '@modelplex/conformance': 'workspace:^',
      '@modelplex/core': 'workspace:^',
      msw: c.versions.msw,
      [c.sdk.package]: c.sdk.devVersion,
      vitest: c.versions.vitest,
      zod: c.versions.zod,
    }),
    publishConfig: { access: 'public' },
  }
  return json(pkg)
}

export const tsconfigJson = () => '{ "extends": "../../tsconfig.base.json", "include": ["src"] }\n'

export const tsupConfig = () =>
  `import { packageConfig } from '../../tsup.config.base'

export default packageConfig(['src/index.ts', 'src/testing.ts'])
`

export const vitestConfig = () => `export { default } from '../../vitest.config.base.ts'\n`

export function indexTs(c) {
  // Sorted as Biome's organizeImports sorts them: by name, case-insensitively, `type` ignored.
  const names = [`create${c.pascal}`, 'default', `type ${c.pascal}Settings`]
  const key = (name) => name.replace(/^type /, '').toLowerCase()
  names.sort((a, b) => key(a).localeCompare(key(b)))
  return `export { ${names.join(', ')} } from './${c.id}-provider.js'\n`
}

function pricingBlock(c) {
  return `  // TODO: the vendor's list prices in USD per million tokens, with the page they were read from.
  // An unlisted model has no \`cost\` (absent, not zero).
  pricing: { source: '${c.pricingURL}', readAt: '${c.today}', models: {} },`
}

function createFunction(c) {
  return `/** Creates the ${c.name} provider, e.g. \`create${c.pascal}({ apiKey })\`; the key defaults to \`${c.env}_API_KEY\`. */
export function create${c.pascal}(settings: ProviderOptions<${c.pascal}Settings> = {}): Provider {
  return createProvider(${c.camel}, settings)
}
`
}

export function providerTs(c) {
  // The two kinds of provider differ in their imports, what they claim and how they connect.
  const kind = c.openAICompatible
    ? {
        sdkImport: '',
        adapterImport: `import { createOpenAIClient, createOpenAICompatibleAdapter } from '@modelplex/provider-openai-compatible'`,
        summary: `${c.name} through its OpenAI-compatible Chat Completions API and the shared translation.`,
        claims: `  // Claim what the vendor serves: the suite holds every claim to the wire and asserts that an
  // unclaimed capability throws UnsupportedCapabilityError.`,
        beyondText: true,
        connect: `    const client = await createOpenAIClient(
      { ...settings, baseURL: settings.baseURL ?? DEFAULT_BASE_URL },
      { provider: '${c.id}' },
    )
    // Vendor differences (token field, usage placement, reasoning field) go in \`quirks\`.
    return createOpenAICompatibleAdapter({ provider: '${c.id}', name: NAME, client })`,
      }
    : {
        sdkImport: ', importSdk',
        adapterImport: `import { create${c.pascal}Adapter } from './${c.id}-adapter.js'`,
        summary: `${c.name} through its official SDK, \`${c.sdk.package}\`.`,
        claims: `  // Claim only what the adapter translates: the suite holds every claim to the wire and asserts
  // that an unclaimed capability throws UnsupportedCapabilityError.`,
        beyondText: false,
        connect: `    // The only import of the SDK: on the first call, once. \`settings.sdk\` injects it (bundlers, tests).
    const sdk = await importSdk('${c.sdk.package}', settings.sdk, () => import('${c.sdk.package}'), '${c.id}')
    return create${c.pascal}Adapter({ sdk, settings: { ...settings, baseURL: settings.baseURL ?? DEFAULT_BASE_URL } })`,
      }
  return `import { type BaseSettings, createProvider, type Provider, type ProviderOptions } from '@modelplex/core'
import { defineProvider${kind.sdkImport} } from '@modelplex/core/adapter'
${kind.adapterImport}

/** Settings of the ${c.name} provider: the base settings (\`apiKey\`, \`baseURL\`, \`headers\`, \`sdk\`, \`fetch\`). */
export type ${c.pascal}Settings = BaseSettings

const NAME = '${c.name}'
/** ${c.name}'s API root; the \`baseURL\` setting or \`${c.env}_BASE_URL\` overrides it. */
const DEFAULT_BASE_URL = '${c.baseURL}'

/** ${kind.summary} */
const ${c.camel} = defineProvider<${c.pascal}Settings>({
  id: '${c.id}',
  name: NAME,
  sdk: { package: '${c.sdk.package}', range: '${c.sdk.range}' },
  settingsSchema: (_z, base) => base.strict(),
  env: { apiKey: ['${c.env}_API_KEY'], baseURL: ['${c.env}_BASE_URL'] },
  defaultModel: '${c.defaultModel}',
${kind.claims}
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: ${kind.beyondText},
    vision: ${kind.beyondText},
    listModels: ${kind.beyondText},
    // Interface v2: \`reasoning: true\` where the vendor returns reasoning, and the file media types
    // it reads (\`'application/pdf'\`, \`'audio/wav'\`…); core refuses the others before the call.
    reasoning: false,
    files: [],
  },
${pricingBlock(c)}
  async connect(settings) {
${kind.connect}
  },
})

export default ${c.camel}

${createFunction(c)}`
}

export function adapterTs(c) {
  return `import { type BaseSettings, ModelplexError } from '@modelplex/core'
import { connectionError, errorFromStatus, isNetworkError, type ProviderAdapter } from '@modelplex/core/adapter'

/** The SDK module, as a type only: the value is imported lazily in \`connect\`. */
export type ${c.pascal}Sdk = typeof import('${c.sdk.package}')

export interface ${c.pascal}AdapterOptions {
  sdk: ${c.pascal}Sdk
  settings: BaseSettings
}

function notTranslated(what: string): Error {
  return new Error(\`${c.id}: \${what} is not translated yet (src/${c.id}-adapter.ts)\`)
}

/**
 * The translation, and nothing else: request out, result and stream in, vendor error to core
 * error. Policies (retries, timeouts, fallback, cost) are core's. Split it as it grows:
 * convert-to-${c.id}-request.ts, parse-${c.id}-response.ts, ${c.id}-stream.ts, map-${c.id}-error.ts.
 * Until it is written, the conformance suite fails: that failure list is the to-do list.
 */
export function create${c.pascal}Adapter(options: ${c.pascal}AdapterOptions): ProviderAdapter {
  // TODO: build the SDK client once, with its own retries off and \`options.settings\` (apiKey,
  // baseURL, headers, fetch) passed through; pass \`context.signal\` and \`context.headers\` per call.
  void options
  return {
    async generate(_request, _context) {
      throw notTranslated('generate')
    },
    async stream(_request, _context) {
      throw notTranslated('stream')
    },
    mapError(error, context) {
      if (ModelplexError.isInstance(error)) return error
      const options = { provider: '${c.id}', model: context.model, cause: error }
      if (isNetworkError(error)) return connectionError(error, options)
      // TODO: classify by the vendor's error code first (context window, content filter, overloaded).
      const status = (error as { status?: number } | null)?.status
      const message = error instanceof Error ? error.message : String(error)
      return errorFromStatus(status, \`${c.name}: \${message}\`, options)
    },
  }
}
`
}

/** The error kinds of the suite, each with the status and file name the bare kit's fixtures get. */
const errorFixtureKinds = [
  ['bad-request', 400, 'invalid-request'],
  ['unauthorized', 401, 'authentication'],
  ['forbidden', 403, 'permission'],
  ['not-found', 404, 'not-found'],
  ['context-window', 400, 'context-window'],
  ['content-filter', 400, 'content-filter'],
  ['rate-limit', 429, 'rate-limit'],
  ['server', 500, 'server'],
  ['overloaded', 503, 'overloaded'],
]

const fixtureName = ([, status, slug]) => `error-${status}-${slug}.json`

/**
 * The bare kit's error bodies, one file per kind: placeholders in a common shape, to replace with
 * the bodies the vendor documents (the error mapper's unit tests read the same files).
 */
export function errorFixtures(c) {
  const files = {}
  for (const entry of errorFixtureKinds) {
    const [kind, status] = entry
    files[fixtureName(entry)] = json({
      error: {
        type: kind,
        message: `${c.name} ${status}: replace with the body ${c.name} documents for ${kind}`,
      },
    })
  }
  return files
}

/** `src/testing.ts`: the `./testing` entry, re-exporting the kit. */
export function testingTs(c) {
  return `/** The \`./testing\` entry: the ${c.name} wire kit for the conformance suite. */
export { create${c.pascal}WireKit, kit } from './${c.id}-wire-kit.js'
`
}

/** `src/<id>-wire-kit.ts`: the kit, on \`defineWireKit\` (or on the OpenAI-compatible kit). */
export function wireKitTs(c) {
  if (c.openAICompatible) {
    return `import type { WireKit } from '@modelplex/conformance'
import {
  createOpenAICompatibleWireKit,
  OPENAI_WIRE_METADATA,
  type OpenAICompatibleWireKitOptions,
} from '@modelplex/provider-openai-compatible/testing'

/** A wire kit that answers like ${c.name}'s API, on a test host. */
export function create${c.pascal}WireKit(options: OpenAICompatibleWireKitOptions = {}): WireKit {
  return createOpenAICompatibleWireKit({
    baseURL: 'https://api.${c.id}.modelplex.test/v1',
    apiKey: '${c.id}-test-key-0123456789abcdef',
    models: { chat: '${c.defaultModel}', embedding: '${c.id}-embedding-test' },
    ownedBy: '${c.id}',
    // The vendor's documented error bodies, one \`__fixtures__\` file per kind: errors: { unauthorized: { status, body } }.
    // What providerMetadata holds after a reply scripted with \`metadata: true\`: the shared extras
    // (add the vendor's with \`metadataPayload\` and list them here).
    metadata: OPENAI_WIRE_METADATA,
    // Interface v2 facts: how earlier reasoning goes back (\`none\` | \`text\` | \`signed\`).
    v2: { reasoningReturn: 'none' },
    ...options,
  })
}

/** The default kit of \`@modelplex/provider-${c.id}\`, used by its conformance test. */
export const kit: WireKit = create${c.pascal}WireKit()
`
  }
  const imports = errorFixtureKinds
    .map(
      (entry) =>
        `import ${camelCase(entry[0])} from './__fixtures__/${fixtureName(entry)}' with { type: 'json' }`,
    )
    .sort()
    .join('\n')
  const keys = errorFixtureKinds.map(([kind]) => camelCase(kind)).join(', ')
  return `import {
  defineWireKit,
  errorTable,
  type SseFrame,
  sseFraming,
  type WireErrorEntry,
  type WireErrorKind,
  type WireKit,
  type WireKitOptions,
} from '@modelplex/conformance'
${imports}

/** ${c.name}'s error bodies, one \`__fixtures__\` file per kind (replace the placeholders with the documented ones). */
export const ${c.camel}Errors: Record<WireErrorKind, WireErrorEntry> = errorTable({ ${keys} })

/**
 * ${c.name}'s wire kit on \`defineWireKit\`, which owns the defaults, request ids, the key check, the
 * error replies with Retry-After, resets, hangs, malformed bodies and cutting streams. Write here
 * only what is ${c.name}'s: where the key travels, the routes, how a request reads into the view
 * and how each reply is written. TODO: the shapes below are placeholders until ${c.name}'s are written.
 */
export function create${c.pascal}WireKit(options: WireKitOptions = {}): WireKit {
  return defineWireKit<SseFrame>({
    name: '${c.id}',
    defaults: {
      baseURL: 'https://api.${c.id}.modelplex.test/v1',
      apiKey: '${c.id}-test-key-0123456789abcdef',
      models: { chat: '${c.defaultModel}' },
    },
    options,
    apiKey: ['bearer'],
    requestId: { header: 'x-request-id', format: (sequence) => \`req_\${sequence}\` },
    retryAfter: 'seconds',
    errors: ${c.camel}Errors,
    routes: [
      { method: 'post', path: '/chat', operation: (body) => (body?.stream ? 'stream' : 'generate') },
      { method: 'get', path: '/models', operation: 'listModels' },
    ],
    read(view, body) {
      if (!body) return
      for (const message of body.messages ?? []) {
        if (message.role === 'system') view.system = String(message.content)
        else view.messages.push({ role: message.role, text: String(message.content) })
      }
    },
    generate: (reply, { model }) => ({ model, text: reply.text ?? '', finish_reason: reply.finishReason }),
    stream: {
      framing: sseFraming(),
      open: (reply, { model, errorBody }) => ({
        start: () => [{ data: JSON.stringify({ type: 'start', model }) }],
        part: (part) => (part.type === 'text' ? [{ data: JSON.stringify({ type: 'text', text: part.text }) }] : []),
        finish: () => [{ data: JSON.stringify({ type: 'finish', finish_reason: reply.finishReason }) }],
        error: (kind) => [{ data: JSON.stringify({ type: 'error', error: errorBody(kind) }) }],
      }),
    },
    models: (reply) => ({ data: reply.ids.map((id) => ({ id })) }),
    // TODO: what providerMetadata holds after a reply scripted with \`metadata: true\` (the vendor's extras).
    metadata: { generate: {}, stream: {} },
  })
}

/** The default kit of \`@modelplex/provider-${c.id}\`, used by its conformance test. */
export const kit: WireKit = create${c.pascal}WireKit()
`
}

export function conformanceTest(c) {
  return `import { runConformance } from '@modelplex/conformance'
import { describe } from 'vitest'
import spec from './index.js'
import { kit } from './${c.id}-wire-kit.js'

describe('${c.id}', () => runConformance({ spec, kit }))
`
}

export function providerTest(c) {
  const todos = c.openAICompatible
    ? `  // The request, response and error translation is provider-openai-compatible's, tested there.
  // Test here what is ${c.name}'s own: quirks, extra settings, error codes only it sends.
`
    : `  // Fixtures are real payloads from ${c.name}'s API reference, one file per case under src/__fixtures__/.
  it.todo('builds the request body (inline snapshot of what reaches the wire)')
  it.todo('parses a response: text, tool calls, finish reason, usage')
  it.todo('maps each documented error body to its core error')
`
  return `import { ConfigError } from '@modelplex/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import spec, { create${c.pascal} } from './index.js'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('${c.id} provider', () => {
  it('has a stable id, a default model and reads its key from ${c.env}_API_KEY', () => {
    expect(spec.id).toBe('${c.id}')
    expect(spec.defaultModel).toBe('${c.defaultModel}')
    expect(spec.env.apiKey).toEqual(['${c.env}_API_KEY'])
  })

  it('names the setting and the variable when no key is given, on the first call', async () => {
    vi.stubEnv('${c.env}_API_KEY', undefined)
    const provider = create${c.pascal}()
    const error = await provider.generate({ messages: [{ role: 'user', content: 'Hi' }] }).catch((e) => e)
    expect(ConfigError.isInstance(error)).toBe(true)
    expect(error.message).toContain('apiKey')
    expect(error.message).toContain('${c.env}_API_KEY')
  })

${todos}})
`
}

export function readme(c) {
  const install = `npm i @modelplex/core @modelplex/provider-${c.id}   # npm also installs the peers ${c.sdk.package} and zod`
  return `# @modelplex/provider-${c.id}

[modelplex](../../README.md) provider for ${c.name}${c.openAICompatible ? ", through its OpenAI-compatible API and modelplex's shared OpenAI translation" : ` through the official \`${c.sdk.package}\` SDK`}.

\`\`\`sh
${install}
\`\`\`

\`\`\`ts
import { loadProvider } from '@modelplex/core'

const ${c.camel} = await loadProvider('${c.id}') // reads ${c.env}_API_KEY
const r = await ${c.camel}.generate({ model: '${c.defaultModel}', messages: [{ role: 'user', content: 'Hi' }] })
console.log(r.text, r.usage, r.cost)
\`\`\`

Or, bundler-friendly: \`import { create${c.pascal} } from '@modelplex/provider-${c.id}'; create${c.pascal}({ apiKey })\`.

| Setting | Environment variable |
| --- | --- |
| \`apiKey\` | \`${c.env}_API_KEY\` |
| \`baseURL\` | \`${c.env}_BASE_URL\` (default \`${c.baseURL}\`) |

**Default model:** \`${c.defaultModel}\`.

**Limits.** TODO: what ${c.name} cannot do, and which settings yield a warning. Details:
[docs/providers/${c.id}.md](../../docs/providers/${c.id}.md).
`
}

export function docsPage(c) {
  return `# ${c.name} (\`@modelplex/provider-${c.id}\`)

${c.openAICompatible ? `${c.name} speaks the OpenAI Chat Completions API, so this package is a spec over` : `${c.name} through its official SDK, \`${c.sdk.package}\` (a required peer, range \`${c.sdk.range}\`),`}
${c.openAICompatible ? "`@modelplex/provider-openai-compatible`'s shared translation, with the `openai` SDK as its peer." : "imported on the first call. The SDK's own retries are off; core retries."}

## Settings and environment

| Setting | Environment | Meaning |
| --- | --- | --- |
| \`apiKey\` | \`${c.env}_API_KEY\` | Required. |
| \`baseURL\` | \`${c.env}_BASE_URL\` | Default \`${c.baseURL}\`. |
| \`headers\`, \`fetch\`, \`sdk\` | — | As for every provider. |

Default model: \`${c.defaultModel}\`.

## Capabilities

| Capability | Claimed | How |
| --- | --- | --- |
| stream | TODO | |
| tools | TODO | |
| structuredOutput | TODO | |
| embeddings | TODO | |
| vision | TODO | |
| listModels | TODO | |

## Pricing

TODO: the source page and the date the prices were read (\`src/${c.id}-provider.ts\`).

## Limits

TODO: settings ${c.name} cannot honour (each yields a warning), and anything else a user should know.
`
}

export function changeset(c) {
  return `---
"@modelplex/provider-${c.id}": minor
---

New provider for ${c.name}${c.openAICompatible ? ' over the shared OpenAI-compatible translation' : ` through \`${c.sdk.package}\``}, with a wire kit at \`./testing\`.
`
}

/** Every file of a new provider package, keyed by its path from the repository root. */
export function providerFiles(c) {
  const dir = `packages/provider-${c.id}`
  const files = {
    [`${dir}/package.json`]: packageJson(c),
    [`${dir}/tsconfig.json`]: tsconfigJson(c),
    [`${dir}/tsup.config.ts`]: tsupConfig(c),
    [`${dir}/vitest.config.ts`]: vitestConfig(c),
    [`${dir}/README.md`]: readme(c),
    [`${dir}/src/index.ts`]: indexTs(c),
    [`${dir}/src/${c.id}-provider.ts`]: providerTs(c),
    [`${dir}/src/${c.id}-provider.test.ts`]: providerTest(c),
    [`${dir}/src/testing.ts`]: testingTs(c),
    [`${dir}/src/${c.id}-wire-kit.ts`]: wireKitTs(c),
    [`${dir}/src/${c.id}.conformance.test.ts`]: conformanceTest(c),
    [`docs/providers/${c.id}.md`]: docsPage(c),
    [`.changeset/provider-${c.id}.md`]: changeset(c),
  }
  if (!c.openAICompatible) {
    files[`${dir}/src/${c.id}-adapter.ts`] = adapterTs(c)
    for (const [name, content] of Object.entries(errorFixtures(c)))
      files[`${dir}/src/__fixtures__/${name}`] = content
  }
  return files
}
