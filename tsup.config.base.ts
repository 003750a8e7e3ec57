import { defineConfig, type Options } from 'tsup'

/** The one tsup config every package shares: ESM + CJS with declarations, no bundled deps. */
export function packageConfig(entry: Options['entry'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    splitting: true,
    // Keep `node:` specifiers: bundlers and size-limit resolve them as built-ins.
    removeNodeProtocol: false,
    ...overrides,
  })
}
