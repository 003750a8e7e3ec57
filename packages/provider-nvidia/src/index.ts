export { createNvidia, default, type NvidiaChatModelId, type NvidiaSettings } from './nvidia-provider.js'
