import { defineConfig, mergeConfig } from 'vitest/config'
import base from '../../vitest.config.base.ts'

// Forks, not threads: web streams in worker threads pay for transferability checks, and these suites stream a lot.
export default mergeConfig(base, defineConfig({ test: { pool: 'forks' } }))
