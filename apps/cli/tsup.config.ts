import { copyFileSync, existsSync } from 'node:fs'
import { defineConfig } from 'tsup'

// A bin, not a library: ESM only, no declarations, every dependency left to node_modules.
export default defineConfig({
  entry: ['src/bin.ts', 'src/conformance-reporter.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: true,
  removeNodeProtocol: false,
  // The matrix travels with the published CLI; inside the repo the live file wins.
  onSuccess: async () => {
    if (existsSync('../../docs/conformance-matrix/matrix.json'))
      copyFileSync('../../docs/conformance-matrix/matrix.json', 'dist/matrix.json')
  },
})
