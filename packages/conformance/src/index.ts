export {
  type CapabilityName,
  capabilityGroups,
  overrideBaseURL,
  type Scenario,
  type ScenarioContext,
  scenarioGroups,
  scenarios,
} from './conformance-scenarios.js'
export {
  type ConformanceOptions,
  type ConformanceResults,
  runConformance,
  type ScenarioStatus,
} from './run-conformance.js'
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
