import { resolve } from 'node:path'
import { testLazySdkImport } from '@modelplex/conformance'

// Importing the package loads no SDK; the first call does (a lazy peer).
testLazySdkImport({
  packageDir: resolve(import.meta.dirname, '..'),
  factory: 'createBedrock',
  settings: {
    region: 'us-east-1',
    accessKeyId: 'AKIALAZYIMPORTTEST01',
    secretAccessKey: 'lazy-import-secret',
    baseURL: 'http://localhost:1',
  },
  // The event-stream codec is loaded by the first stream, not by the first (generate) call.
  sdk: ['@aws-sdk/client-bedrock-runtime', '@smithy/fetch-http-handler'],
  external: [
    '@modelplex/core',
    '@aws-sdk/client-bedrock-runtime',
    '@smithy/fetch-http-handler',
    '@smithy/eventstream-codec',
  ],
})
