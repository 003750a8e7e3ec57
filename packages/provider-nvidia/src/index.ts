export type { NvidiaProviderOptions } from './nvidia-options.js'
export { createNvidia, default, type NvidiaChatModelId, type NvidiaSettings } from './nvidia-provider.js'
