import { Counter, Histogram, Registry } from 'prom-client'

/** The gateway's Prometheus metrics, on a registry of its own (two gateways in one process never clash). */
export function createMetrics() {
  const registry = new Registry()
  const labels = ['endpoint', 'model', 'provider', 'status'] as const
  const requests = new Counter({
    name: 'modelplex_gateway_requests_total',
    help: 'Requests answered, by endpoint, model, provider and status',
    labelNames: labels,
    registers: [registry],
  })
  const errors = new Counter({
    name: 'modelplex_gateway_errors_total',
    help: 'Failed requests by endpoint and error type',
    labelNames: ['endpoint', 'type'] as const,
    registers: [registry],
  })
  const tokens = new Counter({
    name: 'modelplex_gateway_tokens_total',
    help: 'Tokens used, by model, provider and direction (input, output)',
    labelNames: ['model', 'provider', 'direction'] as const,
    registers: [registry],
  })
  const cost = new Counter({
    name: 'modelplex_gateway_cost_usd_total',
    help: 'Cost of answered requests in US dollars, by model and provider',
    labelNames: ['model', 'provider'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'modelplex_gateway_request_duration_seconds',
    help: 'Time from request to the end of the response (for streams: to the last event)',
    labelNames: ['endpoint'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  })
  const overhead = new Histogram({
    name: 'modelplex_gateway_overhead_seconds',
    help: 'Time the gateway adds over the upstream call (auth, limits, translation, metering)',
    labelNames: ['endpoint'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05],
    registers: [registry],
  })
  return { registry, requests, errors, tokens, cost, latency, overhead }
}

export type GatewayMetrics = ReturnType<typeof createMetrics>
