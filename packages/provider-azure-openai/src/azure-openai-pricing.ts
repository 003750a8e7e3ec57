import type { PricingTable } from '@modelplex/core'

/**
 * Azure OpenAI pay-as-you-go prices for Global Standard deployments, USD per million tokens, read
 * on 2026-11-21. Keyed by base model, because the request names a deployment but Azure answers
 * with the model it runs (`gpt-4o-2024-08-06`), which core prices through its snapshot match.
 * Azure's pricing page fills its figures in per region and currency in the browser, so these were
 * taken from transcriptions of it that agree with each other and with OpenAI's list prices; only
 * the models where they agree on every figure (cached input included) are listed. Data Zone and
 * Regional deployments cost more, provisioned (PTU) and batch deployments are billed differently:
 * pass `pricing` to price those.
 */
export const azureOpenAIPricing: PricingTable = {
  source: 'https://azure.microsoft.com/en-us/pricing/details/azure-openai/',
  readAt: '2026-11-21',
  models: {
    'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
    'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
    'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
    'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  },
}
