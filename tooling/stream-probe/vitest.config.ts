import { defineConfig, mergeConfig } from 'vitest/config'
import base from '../../vitest.config.base.ts'

// Not a test suite: `pnpm --filter @modelplex/stream-probe probe` prints figures. One fork with the
// gc exposed, so heap growth is measured from a collected heap; no other file runs beside it.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['src/**/*.probe.ts'],
      pool: 'forks',
      maxWorkers: 1,
      fileParallelism: false,
      execArgv: ['--expose-gc'],
      testTimeout: 1_800_000,
    },
  }),
)
