import { randomUUID } from 'node:crypto'
import { ServerError } from '@modelplex/core'
import type { Redis } from 'ioredis'
import type { StoredKey } from './gateway-config.js'
import { GATEWAY } from './gateway-errors.js'
import { type GatewayStore, type KeyChange, type LedgerRow, periodOf } from './memory-store.js'

export interface RedisStoreOptions {
  /** `redis://host:port/db`. */
  url: string
  /** Prefix of every key (default `mpx:`); tests give each run its own. */
  prefix?: string
  /** How long a reservation holds when its instance never settles it (default 10 minutes). */
  leaseMs?: number
}

// One atomic script: expire dead leases, check every limit, then reserve all or nothing.
// The clock is Redis's TIME, so every instance measures against the same one.
// KEYS: rpm, tpm, leases, budget, reservations. ARGV: rpm, tpm, concurrent, cap (nano-USD, -1: none),
// estimated tokens, estimated nano-USD, lease ms, reservation id.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rpm, tpm, concurrent, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens, nano, lease, id = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  local record = redis.call('HGET', KEYS[5], dead)
  if record then
    local budgetKey, held = string.match(record, '^(.*)|(%d+)|%d+$')
    redis.call('HINCRBY', budgetKey, 'reserved', 0 - tonumber(held))
    redis.call('HDEL', KEYS[5], dead)
  end
  redis.call('ZREM', KEYS[3], dead)
end
local newTat, remainingRequests = nil, -1
if rpm > 0 then
  local interval = 60000 / rpm
  local tolerance = interval * (rpm - 1)
  local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
  if tat - now > tolerance then return {0, 'rpm', math.ceil(tat - tolerance - now)} end
  newTat = tat + interval
  remainingRequests = math.max(0, math.floor((now + tolerance - newTat) / interval) + 1)
end
local level, remainingTokens = nil, -1
if tpm > 0 then
  local state = redis.call('HMGET', KEYS[2], 'tokens', 'at')
  local have = tonumber(state[1]) or tpm
  local at = tonumber(state[2]) or now
  level = math.min(tpm, have + (now - at) * tpm / 60000)
  if tokens > tpm then return {0, 'tpm-size', -1} end
  if level < tokens then return {0, 'tpm', math.ceil((tokens - level) * 60000 / tpm)} end
  remainingTokens = math.floor(level - tokens)
end
if concurrent > 0 and redis.call('ZCARD', KEYS[3]) >= concurrent then return {0, 'concurrent', 1000} end
if cap >= 0 then
  local budget = redis.call('HMGET', KEYS[4], 'spent', 'reserved')
  if (tonumber(budget[1]) or 0) + (tonumber(budget[2]) or 0) + nano > cap then return {0, 'budget', -1} end
end
if newTat then redis.call('SET', KEYS[1], tostring(newTat), 'PX', math.ceil(60000 + newTat - now)) end
if level then redis.call('HSET', KEYS[2], 'tokens', tostring(level - tokens), 'at', tostring(now)) end
redis.call('ZADD', KEYS[3], now + lease, id)
redis.call('HINCRBY', KEYS[4], 'reserved', nano)
redis.call('HSET', KEYS[5], id, KEYS[4] .. '|' .. nano .. '|' .. tokens)
return {1, remainingRequests, remainingTokens}
`

// Settlement: the reservation (if its lease has not ended) is replaced by the actual use; the
// actual spend is counted either way. KEYS: leases, reservations, tpm, budget. ARGV: id, tokens, nano.
const SETTLE = `
local record = redis.call('HGET', KEYS[2], ARGV[1])
if record then
  local budgetKey, held, tokens = string.match(record, '^(.*)|(%d+)|(%d+)$')
  redis.call('HINCRBY', budgetKey, 'reserved', 0 - tonumber(held))
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[1], ARGV[1])
  if redis.call('EXISTS', KEYS[3]) == 1 then
    redis.call('HINCRBYFLOAT', KEYS[3], 'tokens', tonumber(tokens) - tonumber(ARGV[2]))
  end
end
redis.call('HINCRBY', KEYS[4], 'spent', tonumber(ARGV[3]))
return record and 1 or 0
`

const unavailable = (cause: unknown) =>
  new ServerError(
    'The gateway cannot reach its Redis store, so limits and budgets cannot be checked; it refuses requests until Redis is back',
    { provider: GATEWAY, status: 503, code: 'store_unavailable', cause },
  )

/**
 * Limits, budget reservations and concurrency in Redis, shared by every instance: admission is
 * one Lua script (check all, reserve all or nothing), reservations are leases that expire, and
 * a lost Redis fails closed (503). The ledger goes to a Redis Stream.
 */
export async function createRedisStore(
  options: RedisStoreOptions,
): Promise<GatewayStore & { close(): Promise<void> }> {
  const { default: RedisClient } = await import('ioredis')
  const redis: Redis = new RedisClient(options.url, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  })
  redis.on('error', () => {
    // Reported through the 503s and /health/ready; the client reconnects by itself.
  })
  // Commands are not queued while disconnected (so a lost Redis fails fast and closed): wait for
  // the first connection, or its first failure.
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(done, 2000)
    redis.once('ready', done)
    redis.once('error', done)
  })
  redis.defineCommand('mpxAdmit', { numberOfKeys: 5, lua: ADMIT })
  redis.defineCommand('mpxSettle', { numberOfKeys: 4, lua: SETTLE })
  const prefix = options.prefix ?? 'mpx:'
  const leaseMs = options.leaseMs ?? 600_000
  const keysOf = (keyId: string) => ({
    rpm: `${prefix}{${keyId}}:rpm`,
    tpm: `${prefix}{${keyId}}:tpm`,
    leases: `${prefix}{${keyId}}:leases`,
    reservations: `${prefix}{${keyId}}:reservations`,
  })
  const budgetKey = (key: StoredKey, now: number) =>
    `${prefix}{${key.id}}:budget:${periodOf(key.budget, now)}`
  const held = new Map<string, { key: StoredKey; budget: string }>()
  const ledgerKey = `${prefix}ledger`
  const keysKey = `${prefix}keys`
  let subscriber: Redis | undefined
  const call = (name: string, ...args: Array<string | number>) =>
    (redis as unknown as Record<string, (...a: Array<string | number>) => Promise<unknown>>)[name]?.(...args)

  return {
    async admit(key, estimate, now) {
      const keys = keysOf(key.id)
      const budget = budgetKey(key, now)
      const id = randomUUID()
      let answer: Array<number | string>
      try {
        answer = (await call(
          'mpxAdmit',
          keys.rpm,
          keys.tpm,
          keys.leases,
          budget,
          keys.reservations,
          key.limits?.rpm ?? 0,
          key.limits?.tpm ?? 0,
          key.limits?.concurrent ?? 0,
          key.budget ? Math.round(key.budget.usd * 1e9) : -1,
          estimate.tokens,
          estimate.nanoUsd,
          leaseMs,
          id,
        )) as Array<number | string>
      } catch (error) {
        throw unavailable(error)
      }
      if (answer[0] === 1) {
        held.set(id, { key, budget })
        const requests = Number(answer[1])
        const tokens = Number(answer[2])
        return {
          ok: true,
          reservation: id,
          remainingRequests: requests < 0 ? undefined : requests,
          remainingTokens: tokens < 0 ? undefined : tokens,
        }
      }
      const limit = String(answer[1])
      const retryAfterMs = Number(answer[2]) < 0 ? undefined : Number(answer[2])
      const messages: Record<string, string> = {
        rpm: `Key "${key.id}" is over its limit of ${key.limits?.rpm} requests per minute; retry after the retry-after header's seconds`,
        tpm: `Key "${key.id}" is over its limit of ${key.limits?.tpm} tokens per minute; retry after the retry-after header's seconds`,
        'tpm-size': `This request may use ${estimate.tokens} tokens, more than key "${key.id}"'s ${key.limits?.tpm} tokens per minute; lower max_tokens or shorten the prompt`,
        concurrent: `Key "${key.id}" already has ${key.limits?.concurrent} requests in flight, its limit; retry when one ends`,
        budget: `Key "${key.id}" has no budget left for this request (budget $${key.budget?.usd} per ${key.budget?.period}); raise the budget or lower max_tokens`,
      }
      return {
        ok: false,
        limit: limit === 'tpm-size' ? 'tpm' : (limit as 'rpm' | 'tpm' | 'concurrent' | 'budget'),
        retryAfterMs,
        message: messages[limit] ?? `Key "${key.id}" is over a limit`,
      }
    },
    async settle(reservation, actual) {
      const entry = held.get(reservation)
      if (!entry) return
      held.delete(reservation)
      const keys = keysOf(entry.key.id)
      try {
        await call(
          'mpxSettle',
          keys.leases,
          keys.reservations,
          keys.tpm,
          entry.budget,
          reservation,
          actual.tokens,
          actual.nanoUsd,
        )
      } catch {
        // Redis is away: the lease ends by itself and frees the reservation; the spend is in the ledger.
      }
    },
    async record(row: LedgerRow) {
      await redis.xadd(ledgerKey, '*', 'row', JSON.stringify(row)).catch(() => undefined)
    },
    async usage(filter) {
      const entries = await redis.xrange(ledgerKey, '-', '+')
      return entries
        .map(([, fields]) => JSON.parse(fields[1] as string) as LedgerRow)
        .filter(
          (row) =>
            (!filter.keyId || row.keyId === filter.keyId) &&
            (!filter.from || row.day >= filter.from) &&
            (!filter.to || row.day <= filter.to),
        )
    },
    async ready() {
      try {
        return (await redis.ping()) === 'PONG'
      } catch {
        return false
      }
    },
    async putKey(key) {
      await redis.hset(keysKey, key.id, JSON.stringify(key))
      await redis.publish(keysKey, JSON.stringify({ type: 'put', key } satisfies KeyChange))
    },
    async deleteKey(id) {
      await redis.hdel(keysKey, id)
      await redis.publish(keysKey, JSON.stringify({ type: 'delete', id } satisfies KeyChange))
    },
    async loadKeys() {
      const all = await redis.hgetall(keysKey)
      return Object.values(all).map((json) => JSON.parse(json) as StoredKey)
    },
    onKeyChange(listener) {
      // Revocations reach every instance by pub/sub, as they happen.
      subscriber ??= redis.duplicate({ enableOfflineQueue: true })
      subscriber.on('error', () => undefined)
      subscriber.subscribe(keysKey).catch(() => undefined)
      subscriber.on('message', (channel, message) => {
        if (channel === keysKey) listener(JSON.parse(message) as KeyChange)
      })
    },
    async close() {
      subscriber?.disconnect()
      redis.disconnect()
    },
  }
}
