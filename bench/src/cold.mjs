// One cold-start measurement in a fresh process: the time and RSS of `import()`, or of loading a
// client and making its first call. bench.mjs runs each target several times, interleaved.
// Usage: node cold.mjs <target> [base-url]   (prints one JSON line)

/** What each import target loads; nothing else is imported before the clock starts. */
const IMPORTS = {
  'import:core': () => import('@modelplex/core'),
  'import:core+openai': () => Promise.all([import('@modelplex/core'), import('@modelplex/provider-openai')]),
  'import:openai-sdk': () => import('openai'),
  'import:zod': () => import('zod'),
  'import:vercel-openai': () => Promise.all([import('ai'), import('@ai-sdk/openai')]),
  'import:langchain-openai': () => import('@langchain/openai'),
}

const [target, baseURL] = process.argv.slice(2)
const mb = 1024 * 1024

async function measure() {
  if (IMPORTS[target]) {
    const rssBefore = process.memoryUsage.rss()
    const started = performance.now()
    await IMPORTS[target]()
    const ms = performance.now() - started
    const rss = process.memoryUsage.rss()
    return { ms, rssMb: rss / mb, rssDeltaMb: (rss - rssBefore) / mb }
  }
  // first:<client-id>[+zod]: import the client's packages, build it, make one call.
  const [, rest] = target.split(/:(.*)/s)
  const preloadZod = rest.endsWith('+zod')
  const clientId = preloadZod ? rest.slice(0, -4) : rest
  const { findClient } = await import('./clients.mjs')
  const spec = findClient(clientId)
  // Diagnostic variant: zod already loaded, so the difference is what zod costs the first call.
  if (preloadZod) await import('zod')
  const rssBefore = process.memoryUsage.rss()
  const started = performance.now()
  const client = await spec.load(baseURL)
  const loadedMs = performance.now() - started
  const text = await client.generate()
  const ms = performance.now() - started
  if (typeof text !== 'string' || text.length === 0) throw new Error(`${clientId}: empty first reply`)
  const rss = process.memoryUsage.rss()
  return {
    ms,
    importMs: loadedMs,
    callMs: ms - loadedMs,
    rssMb: rss / mb,
    rssDeltaMb: (rss - rssBefore) / mb,
  }
}

process.stdout.write(`${JSON.stringify(await measure())}\n`)
process.exit(0)
