export {
  type AwsEventStreamHeaderValue,
  type AwsEventStreamMessage,
  type AwsEventStreamOptions,
  awsEvent,
  awsEventStreamBody,
  awsEventStreamResponse,
  awsException,
  crc32,
  type DecodedAwsEventStreamMessage,
  decodeAwsEventStream,
  encodeAwsEventStreamMessage,
} from './aws-event-stream.js'
export {
  type CapabilityName,
  capabilityGroups,
  overrideBaseURL,
  type Scenario,
  type ScenarioContext,
  scenarioGroups,
  scenarios,
} from './conformance-scenarios.js'
export { type DemoScenarioOptions, demoModels, demoScenarios, sampleFromSchema } from './demo-scenarios.js'
export {
  corruptFrame,
  countFrames,
  type FaultInjectorOptions,
  faultInjector,
  gatewayErrorResponse,
  type HttpFault,
  type StreamFormat,
  truncateResponse,
} from './fault-injection.js'
export {
  type CapturedResponse,
  captureResponse,
  chunkedBody,
  type FuzzChunkOptions,
  fuzzChunks,
  fuzzedResponse,
  randomInt,
  replayResponse,
  seededRandom,
  utf8Splits,
} from './fuzz-chunks.js'
export { type LazySdkImportOptions, testLazySdkImport } from './lazy-import.js'
export { randomEventBody } from './random-event-body.js'
export {
  REPLAY_KEY,
  type RecordedExchange,
  type Recording,
  type RecordingMode,
  type RecordReplayOptions,
  recordOrReplay,
  type Tape,
} from './record-replay.js'
export {
  type ConformanceOptions,
  type ConformanceResults,
  runConformance,
  type ScenarioStatus,
} from './run-conformance.js'
export {
  type ServedHandlers,
  type ServedKit,
  type ServeHandlersOptions,
  type ServeKitOptions,
  serveHandlers,
  serveKit,
} from './serve-kit.js'
export type {
  WireErrorKind,
  WireFinishReason,
  WireKit,
  WireOperation,
  WireReply,
  WireRequestView,
  WireStreamPart,
  WireUsage,
} from './wire-kit.js'
export {
  connectionDroppedError,
  createRequestRecorder,
  encodeSseFrame,
  errorResponse,
  hangUntilAborted,
  headersOf,
  ndjsonResponse,
  type RecordedRequest,
  type RequestRecorder,
  readBody,
  resetResponse,
  type SseFrame,
  type StreamBodyOptions,
  sseResponse,
  streamBody,
} from './wire-responses.js'
