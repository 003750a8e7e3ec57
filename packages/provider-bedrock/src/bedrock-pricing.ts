import type { ModelPrice, PricingTable } from '@modelplex/core'

/**
 * On-demand prices in US East (N. Virginia), USD per million tokens (AWS lists them per 1,000;
 * ×1,000 here). Read on 2026-11-21 from the Amazon Bedrock pricing page
 * (https://aws.amazon.com/bedrock/pricing/) and cross-checked against published tables that copy
 * it. Cache reads and writes on every model Bedrock caches for: Claude reads at 0.1× input and
 * writes at 1.25× (1-hour writes, on Claude 4.5, at 2×); Amazon Nova reads at 0.25× input and has
 * no write surcharge (writes bill as input). Claude 3 Haiku and Llama have no prompt caching.
 */
const regional: Record<string, ModelPrice> = {
  'amazon.nova-micro-v1:0': { input: 0.035, cachedInput: 0.00875, cacheWrite: 0.035, output: 0.14 },
  'amazon.nova-lite-v1:0': { input: 0.06, cachedInput: 0.015, cacheWrite: 0.06, output: 0.24 },
  'amazon.nova-pro-v1:0': { input: 0.8, cachedInput: 0.2, cacheWrite: 0.8, output: 3.2 },
  'anthropic.claude-3-haiku-20240307-v1:0': { input: 0.25, output: 1.25 },
  'anthropic.claude-3-5-haiku-20241022-v1:0': { input: 0.8, cachedInput: 0.08, cacheWrite: 1, output: 4 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'anthropic.claude-sonnet-4-20250514-v1:0': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'meta.llama3-1-8b-instruct-v1:0': { input: 0.22, output: 0.22 },
  'meta.llama3-1-70b-instruct-v1:0': { input: 0.72, output: 0.72 },
  'meta.llama3-3-70b-instruct-v1:0': { input: 0.72, output: 0.72 },
  'amazon.titan-embed-text-v2:0': { input: 0.02, output: 0 },
  'amazon.titan-embed-text-v1': { input: 0.1, output: 0 },
  'cohere.embed-english-v3': { input: 0.1, output: 0 },
  'cohere.embed-multilingual-v3': { input: 0.1, output: 0 },
  'cohere.embed-v4:0': { input: 0.12, output: 0 },
}

/** Claude 4.5 models run through inference profiles; the `global.` profile has the list price (regional ones cost 10% more and are not listed). */
const global: Record<string, ModelPrice> = {
  'global.anthropic.claude-haiku-4-5-20251001-v1:0': {
    input: 1,
    cachedInput: 0.1,
    cacheWrite: 1.25,
    cacheWrite1h: 2,
    output: 5,
  },
  'global.anthropic.claude-sonnet-4-5-20250929-v1:0': {
    input: 3,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    output: 15,
  },
}

/**
 * Cross-region inference adds no charge and bills the source Region's price, so the `us.`
 * inference profiles cost what the model costs in us-east-1. (`eu.`/`apac.` bill other Regions'
 * prices and are left out: their cost is absent, not guessed.)
 */
const usProfiles = Object.fromEntries(
  Object.entries(regional)
    .filter(([id]) => !id.includes('titan-embed'))
    .map(([id, price]) => [`us.${id}`, price]),
)

/** Amazon Bedrock on-demand prices, us-east-1. */
export const bedrockPricing: PricingTable = {
  source: 'https://aws.amazon.com/bedrock/pricing/',
  readAt: '2026-11-21',
  models: { ...regional, ...usProfiles, ...global },
}
