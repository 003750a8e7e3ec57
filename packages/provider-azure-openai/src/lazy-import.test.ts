import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createAzureOpenAI',
  settings: { apiKey: 'azure-lazy-import-test', endpoint: 'http://localhost:1' },
  sdk: ['openai'],
  external: [
    '@modelplex/core',
    '@modelplex/provider-openai',
    '@modelplex/provider-openai-compatible',
    'openai',
  ],
})
