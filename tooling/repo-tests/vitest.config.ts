import { defineConfig } from 'vitest/config'

/** Repository-level tests: they spawn builds and nested test runs, so steps get minutes, not seconds. */
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, restoreMocks: true },
})
