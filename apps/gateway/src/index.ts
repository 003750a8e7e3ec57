export { createGateway, type Gateway, type GatewayOptions, type ListeningGateway } from './create-gateway.js'
export {
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigSchema,
  loadGatewayConfig,
  parseGatewayConfig,
  type StoredKey,
  sha256,
} from './gateway-config.js'
export { toWireError, type WireError } from './gateway-errors.js'
export {
  type Actual,
  type Admission,
  createMemoryStore,
  type Estimate,
  type GatewayStore,
  type LedgerRow,
} from './memory-store.js'
