import { defineConfig } from 'vitest/config'

/**
 * Tests run against source through the `@modelplex/source` export condition.
 *
 * The time limits are hang detectors, not speed checks: a test that works takes milliseconds to
 * seconds even on two loaded cores, and one that hangs would hang forever, so the limits sit far
 * above anything a slow machine can reach. Hooks get more, because `beforeAll` pays the vendor SDK
 * imports (seconds each under load). Turbo runs three packages at once on a 2-core machine, so each
 * vitest takes at most two workers: more would only add process start-up and memory.
 */
export default defineConfig({
  resolve: { conditions: ['@modelplex/source'] },
  ssr: { resolve: { conditions: ['@modelplex/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    restoreMocks: true,
  },
})
