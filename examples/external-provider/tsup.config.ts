import { defineConfig } from 'tsup'

// Standalone on purpose: an out-of-tree provider has no monorepo base config to extend.
export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
})
