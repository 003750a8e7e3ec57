export { readXaiMetadata, type XaiProviderOptions } from './xai-options.js'
export { xaiPricing } from './xai-pricing.js'
export { createXai, default, type XaiChatModelId, type XaiSettings } from './xai-provider.js'
