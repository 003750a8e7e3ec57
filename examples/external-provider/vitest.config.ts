import { defineConfig } from 'vitest/config'

// No `@modelplex/source` condition: the example runs against the built packages, as it would
// from npm. `turbo run test` builds them first.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 15_000, restoreMocks: true },
})
