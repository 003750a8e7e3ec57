import type { StreamFormat, WireKit } from '@modelplex/conformance'
import { computeCost, mergePricing, type ProviderSpec, type Usage } from '@modelplex/core'
import anthropic from '@modelplex/provider-anthropic'
import { anthropicErrorPayload, createAnthropicWireKit } from '@modelplex/provider-anthropic/testing'
import bedrock from '@modelplex/provider-bedrock'
import { bedrockErrorPayload, createBedrockWireKit } from '@modelplex/provider-bedrock/testing'
import google from '@modelplex/provider-google'
import { createGoogleWireKit, googleErrorPayload } from '@modelplex/provider-google/testing'
import ollama from '@modelplex/provider-ollama'
import { createOllamaWireKit, ollamaErrorPayload } from '@modelplex/provider-ollama/testing'
import openai from '@modelplex/provider-openai'
import { createOpenAIWireKit } from '@modelplex/provider-openai/testing'
import { openAIErrors } from '@modelplex/provider-openai-compatible/testing'

/** A vendor's JSON error, to send with a status its kit does not write for that kind (503 on Anthropic, 529 elsewhere). */
export interface VendorError {
  body: unknown
  headers?: Record<string, string>
}

/** One provider under test: its spec, a kit factory, its stream framing and its error body. */
export interface Vendor {
  id: string
  spec: ProviderSpec<any>
  /** A kit with this key (Bedrock: this secret access key too). */
  kit(key?: string): WireKit
  format: StreamFormat
  /** The vendor's body for a failing or overloaded server. */
  errorBody(kind: 'server' | 'overloaded'): VendorError
}

export const vendors: Vendor[] = [
  {
    id: 'openai',
    spec: openai,
    kit: (key) => createOpenAIWireKit(key ? { apiKey: key } : {}),
    format: 'sse',
    errorBody: (kind) => ({ body: openAIErrors[kind].body }),
  },
  {
    id: 'anthropic',
    spec: anthropic,
    kit: (key) => createAnthropicWireKit(key ? { apiKey: key } : {}),
    format: 'sse',
    errorBody: (kind) => {
      const { body } = anthropicErrorPayload(kind)
      return { body, headers: { 'request-id': body.request_id } }
    },
  },
  {
    id: 'google',
    spec: google,
    kit: (key) => createGoogleWireKit(key ? { apiKey: key } : {}),
    format: 'sse',
    errorBody: (kind) => ({ body: googleErrorPayload(kind).body }),
  },
  {
    id: 'bedrock',
    spec: bedrock,
    kit: (key) => createBedrockWireKit(key ? { secretAccessKey: key } : {}),
    format: 'aws-event-stream',
    errorBody: (kind) => {
      const { type, message } = bedrockErrorPayload(kind)
      return {
        body: { message },
        headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
      }
    },
  },
  {
    id: 'ollama',
    spec: ollama,
    kit: (key) => createOllamaWireKit(key ? { apiKey: key } : {}),
    format: 'ndjson',
    errorBody: (kind) => ({ body: ollamaErrorPayload(kind).body }),
  },
]

/** The cost core must report for `usage` on `model`: the spec's pricing with the kit's override. */
export function expectedCost(vendor: Vendor, kit: WireKit, model: string, usage: Usage | undefined) {
  return computeCost(mergePricing(vendor.spec.pricing, kit.settings.pricing as never), model, usage)
}

/** Secret values a kit's settings hold (API keys, AWS secrets), for leak scans. */
export function secretsOf(kit: WireKit): string[] {
  const found = new Set<string>([kit.apiKey])
  for (const [name, value] of Object.entries(kit.settings)) {
    if (typeof value === 'string' && /key|secret|token/i.test(name)) found.add(value)
  }
  return [...found].filter((value) => value.length >= 8)
}
