import { defineConfig, mergeConfig } from 'vitest/config'
import base from '../../vitest.config.base.ts'

// The tests spawn the built binary (dist/bin.js), as a user would run it.
export default mergeConfig(
  base,
  defineConfig({
    test: { globalSetup: ['./src/test-global-setup.ts'], restoreMocks: false },
  }),
)
