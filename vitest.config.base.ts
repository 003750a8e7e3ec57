import { defineConfig } from 'vitest/config'

/** Tests run against source through the `@modelplex/source` export condition. */
export default defineConfig({
  resolve: { conditions: ['@modelplex/source'] },
  ssr: { resolve: { conditions: ['@modelplex/source'] } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 15_000, restoreMocks: true },
})
