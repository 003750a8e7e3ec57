import {
  type BaseSettings,
  ConfigError,
  createProvider,
  type Provider,
  type ProviderOptions,
} from '@modelplex/core'
import { defineProvider, importSdk } from '@modelplex/core/adapter'
import { createGoogleAdapter, type GoogleGenAIClient } from './google-adapter.js'
import { googlePricing } from './google-pricing.js'

const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0

/** Settings of the Google Gemini provider. */
export interface GoogleSettings extends BaseSettings {
  /** API version in the path (default the SDK's, `v1beta`). */
  apiVersion?: string
  /** Use Vertex AI instead of the Gemini API (passed to the SDK; not covered by the conformance suite). */
  vertexai?: boolean
  /** Google Cloud project, Vertex AI only. */
  project?: string
  /** Google Cloud location, e.g. `us-central1`, Vertex AI only. */
  location?: string
}

/** Gemini models with autocomplete; any other id is accepted. */
export type GoogleChatModelId =
  | 'gemini-3.8-flash'
  | 'gemini-3.7-flash'
  | 'gemini-3.6-flash'
  | 'gemini-3.5-flash'
  | 'gemini-3.5-flash-lite'
  | 'gemini-3.1-pro-preview'
  | 'gemini-3-flash-preview'
  | 'gemini-2.5-pro'
  | 'gemini-2.5-flash'
  | 'gemini-2.5-flash-lite'
  | 'gemini-flash-latest'
  | (string & {})

/** Embedding models with autocomplete; any other id is accepted. */
export type GoogleEmbeddingModelId = 'gemini-embedding-001' | 'gemini-embedding-2' | (string & {})

/**
 * The media types Gemini reads as file parts: PDF (ai.google.dev/gemini-api/docs/document-processing),
 * plain text and the other text formats it takes as documents, audio (/docs/audio: WAV, MP3, AIFF,
 * AAC, OGG, FLAC), video (/docs/video-understanding) and images (/docs/image-understanding).
 */
const GOOGLE_FILE_TYPES = [
  'application/pdf',
  'text/plain',
  'text/html',
  'text/css',
  'text/csv',
  'text/markdown',
  'text/xml',
  'text/rtf',
  'text/javascript',
  'text/x-python',
  'text/x-typescript',
  'application/json',
  'application/x-javascript',
  'application/x-python-code',
  'application/x-typescript',
  'application/rtf',
  'audio/*',
  'video/*',
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/heic',
  'image/heif',
]

const ID = 'google'
const NAME = 'Google Gemini'
const ONE_MILLION = 1_048_576

/** Gemini (the Gemini Developer API) through `@google/genai`. */
const google = defineProvider<GoogleSettings>({
  id: ID,
  name: NAME,
  sdk: { package: '@google/genai', range: '^2.32.0' },
  settingsSchema: (z, base) =>
    base
      .extend({
        apiVersion: z.string().min(1).optional(),
        vertexai: z.boolean().optional(),
        project: z.string().min(1).optional(),
        location: z.string().min(1).optional(),
      })
      .strict(),
  settingChecks: {
    apiVersion: nonEmptyString,
    vertexai: (value) => typeof value === 'boolean',
    project: nonEmptyString,
    location: nonEmptyString,
  },
  env: { apiKey: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], baseURL: ['GOOGLE_GEMINI_BASE_URL'] },
  // Vertex AI runs on Google Cloud credentials without a key; connect() demands one for the Gemini API.
  requiresApiKey: false,
  defaultModel: 'gemini-3.8-flash',
  defaultEmbeddingModel: 'gemini-embedding-001',
  capabilities: {
    stream: true,
    tools: true,
    structuredOutput: 'json-schema',
    embeddings: true,
    vision: true,
    listModels: true,
    files: GOOGLE_FILE_TYPES,
    reasoning: true,
  },
  pricing: googlePricing,
  contextWindows: {
    'gemini-3.8-flash': ONE_MILLION,
    'gemini-3.7-flash': ONE_MILLION,
    'gemini-3.6-flash': ONE_MILLION,
    'gemini-3.5-flash': ONE_MILLION,
    'gemini-3-flash-preview': ONE_MILLION,
    'gemini-2.5-pro': ONE_MILLION,
    'gemini-2.5-flash': ONE_MILLION,
    'gemini-2.5-flash-lite': ONE_MILLION,
  },
  async connect(settings) {
    if (!settings.vertexai && !settings.apiKey) {
      throw new ConfigError(
        `${NAME}: no API key. Pass the apiKey setting or set GEMINI_API_KEY or GOOGLE_API_KEY (or use vertexai: true with Google Cloud credentials).`,
        { provider: ID },
      )
    }
    if (!settings.vertexai && (settings.project || settings.location)) {
      throw new ConfigError(`${NAME}: project and location are Vertex AI settings; set vertexai: true too.`, {
        provider: ID,
      })
    }
    const sdk: any = await importSdk('@google/genai', settings.sdk, () => import('@google/genai'), ID)
    // The `sdk` setting may hold the module or the GoogleGenAI class itself.
    const GoogleGenAI = typeof sdk === 'function' ? sdk : (sdk.GoogleGenAI ?? sdk.default?.GoogleGenAI)
    const client: GoogleGenAIClient = new GoogleGenAI({
      apiKey: settings.apiKey,
      // Explicit, so GOOGLE_GENAI_USE_VERTEXAI in the environment does not switch backends behind the settings.
      vertexai: settings.vertexai ?? false,
      ...(settings.project ? { project: settings.project } : {}),
      ...(settings.location ? { location: settings.location } : {}),
      ...(settings.apiVersion ? { apiVersion: settings.apiVersion } : {}),
      httpOptions: {
        ...(settings.baseURL ? { baseUrl: settings.baseURL } : {}),
        ...(settings.headers ? { headers: settings.headers } : {}),
        // One attempt per call: retries are core's policy.
        retryOptions: { attempts: 1 },
      },
    })
    return createGoogleAdapter({
      provider: ID,
      name: NAME,
      client,
      ApiError: typeof sdk === 'function' ? undefined : sdk.ApiError,
      fetch: settings.fetch,
    })
  },
})

export default google

/** Creates the Gemini provider, e.g. `createGoogle({ apiKey })`; the key defaults to `GEMINI_API_KEY`, then `GOOGLE_API_KEY`. */
export function createGoogle(settings: ProviderOptions<GoogleSettings> = {}): Provider {
  return createProvider(google, settings)
}
