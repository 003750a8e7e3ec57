import { defineConfig, mergeConfig } from 'vitest/config'
import base from '../../vitest.config.base.ts'

// The AWS SDK warns once per process that its 2027 releases need Node 22; on Node 20 that is noise in test output.
export default mergeConfig(
  base,
  defineConfig({ test: { env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } } }),
)
