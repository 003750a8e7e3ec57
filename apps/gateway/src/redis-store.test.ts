import { randomUUID } from 'node:crypto'
import { type AddressInfo, connect, createServer } from 'node:net'
import { type ServedKit, serveKit } from '@modelplex/conformance'
import { kit } from '@modelplex/provider-openai/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from './index.js'
import { createRedisStore } from './redis-store.js'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0'

/** True when something answers on the Redis URL's port. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) })
    socket.setTimeout(500)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

const up = await reachable(redisUrl)
if (!up && process.env.CI === 'true') throw new Error(`CI=true and no Redis answers on ${redisUrl}`)
if (!up)
  console.log(`skipping the Redis store tests: no Redis on ${redisUrl} (set REDIS_URL or start redis-server)`)

const secret = 'sk-shared-0123456789abcdef'
let upstream: ServedKit

beforeAll(async () => {
  if (up) upstream = await serveKit(kit)
})
afterAll(async () => {
  await upstream?.close()
})

/** `count` gateways on one Redis, each with its own connection, as separate instances would be. */
function instances(count: number, key: Record<string, unknown>, prefix: string): Gateway[] {
  return Array.from({ length: count }, () =>
    createGateway(
      {
        models: { fast: { targets: ['openai:gpt-4o-mini'] } },
        retry: { maxRetries: 0 },
        keys: [{ id: 'shared', secret, ...key }],
        state: { redis: redisUrl },
      },
      {
        providers: { openai: { ...upstream.settings, load: () => import('@modelplex/provider-openai') } },
        redisPrefix: prefix,
      },
    ),
  )
}

const ask = (gateway: Gateway) =>
  gateway.fetch(
    new Request('http://gateway/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'fast',
        messages: [{ role: 'user', content: 'Say hello' }],
        max_tokens: 10,
      }),
    }),
  )

describe.runIf(up)('the Redis store, shared by three instances', () => {
  it('rpm 60 with 300 concurrent requests over three instances: 60 succeed, plus one per second the burst took', async () => {
    const gateways = instances(3, { limits: { rpm: 60 } }, `mpx-test-${randomUUID()}:`)
    try {
      const started = Date.now()
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, index) => ask(gateways[index % 3] as Gateway)),
      )
      // GCRA gives a burst of 60, then one more each second the burst took (on Redis's clock).
      const refills = Math.floor((Date.now() - started) / 1000)
      const succeeded = answers.filter((answer) => answer.status === 200).length
      expect(succeeded).toBeGreaterThanOrEqual(60)
      expect(succeeded).toBeLessThanOrEqual(60 + refills)
      expect(answers.filter((answer) => answer.status === 429)).toHaveLength(300 - succeeded)
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.close()))
    }
  })

  it('a $0.0001 budget with 200 concurrent requests is never exceeded, and the counters agree with the answers', async () => {
    const prefix = `mpx-test-${randomUUID()}:`
    const gateways = instances(3, { budget: { usd: 0.0001, period: 'total' } }, prefix)
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, index) => ask(gateways[index % 3] as Gateway)),
      )
      const ok = answers.filter((answer) => answer.status === 200)
      expect(ok.length).toBeGreaterThan(0)
      expect(answers.some((answer) => answer.status === 429)).toBe(true)
      const spent = ok.reduce(
        (sum, answer) => sum + Math.round(Number(answer.headers.get('x-modelplex-cost-usd')) * 1e9),
        0,
      )
      expect(spent).toBeLessThanOrEqual(100_000)
      const { default: Redis } = await import('ioredis')
      const redis = new Redis(redisUrl)
      const counters = await redis.hgetall(`${prefix}{shared}:budget:total`)
      redis.disconnect()
      expect(Number(counters.spent)).toBe(spent)
      expect(Number(counters.reserved)).toBe(0)
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.close()))
    }
  })

  it('a reservation its instance never settles is released when its lease ends', async () => {
    const prefix = `mpx-test-${randomUUID()}:`
    const key = { id: 'dead', secretSha256: 'x'.repeat(64), limits: { concurrent: 1 } }
    // A lease long enough that no stall of a loaded machine ends it before the survivor's first try.
    const dying = await createRedisStore({ url: redisUrl, prefix, leaseMs: 2_000 })
    const survivor = await createRedisStore({ url: redisUrl, prefix, leaseMs: 2_000 })
    try {
      const held = await dying.admit(key, { tokens: 10, nanoUsd: 0 }, Date.now())
      expect(held.ok).toBe(true)
      await dying.close() // the instance is gone; it never settles
      expect((await survivor.admit(key, { tokens: 10, nanoUsd: 0 }, Date.now())).ok).toBe(false)
      let freed = false
      for (let attempt = 0; attempt < 400 && !freed; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        freed = (await survivor.admit(key, { tokens: 10, nanoUsd: 0 }, Date.now())).ok
      }
      expect(freed).toBe(true)
    } finally {
      await survivor.close()
    }
  })

  it('a key created on one instance works on the others, and once revoked is refused by all', async () => {
    const prefix = `mpx-test-${randomUUID()}:`
    const master = 'master-key-0123456789abcdef'
    const gateways = Array.from({ length: 3 }, () =>
      createGateway(
        {
          models: { fast: { targets: ['openai:gpt-4o-mini'] } },
          masterKey: master,
          state: { redis: redisUrl },
        },
        {
          providers: { openai: { ...upstream.settings, load: () => import('@modelplex/provider-openai') } },
          redisPrefix: prefix,
        },
      ),
    )
    const [first, second, third] = gateways as [Gateway, Gateway, Gateway]
    const withKey = (gateway: Gateway, key: string) =>
      gateway.fetch(new Request('http://gateway/v1/models', { headers: { authorization: `Bearer ${key}` } }))
    /** Polls until `gateway` answers `status` with `key` (pub/sub delivers in milliseconds). */
    const settlesTo = async (gateway: Gateway, key: string, status: number) => {
      let last = 0
      for (let attempt = 0; attempt < 100 && last !== status; attempt++) {
        last = (await withKey(gateway, key)).status
        if (last !== status) await new Promise((resolve) => setTimeout(resolve, 10))
      }
      return last
    }
    try {
      await Promise.all(gateways.map((gateway) => gateway.fetch(new Request('http://gateway/health/ready'))))
      const created = await first.fetch(
        new Request('http://gateway/admin/keys', {
          method: 'POST',
          headers: { authorization: `Bearer ${master}` },
          body: JSON.stringify({ id: 'team-c' }),
        }),
      )
      const { secret: key } = await created.json()
      expect(await settlesTo(second, key, 200)).toBe(200)
      expect(await settlesTo(third, key, 200)).toBe(200)
      // An instance started later loads it from Redis.
      const late = createGateway(
        { models: { fast: { targets: ['openai:gpt-4o-mini'] } }, state: { redis: redisUrl } },
        { redisPrefix: prefix },
      )
      gateways.push(late)
      expect((await withKey(late, key)).status).toBe(200)
      await second.fetch(
        new Request('http://gateway/admin/keys/team-c', {
          method: 'DELETE',
          headers: { authorization: `Bearer ${master}` },
        }),
      )
      for (const gateway of [first, third, late]) expect(await settlesTo(gateway, key, 401)).toBe(401)
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.close()))
    }
  })

  it('a Redis that goes away fails closed, and serving resumes when it is back', async () => {
    // A TCP relay stands in for Redis going down and coming back, without touching the shared Redis.
    const target = new URL(redisUrl)
    const sockets = new Set<import('node:net').Socket>()
    const relay = createServer((client) => {
      const server = connect({ host: target.hostname, port: Number(target.port || 6379) })
      for (const socket of [client, server]) {
        sockets.add(socket)
        socket.on('error', () => undefined)
        socket.on('close', () => sockets.delete(socket))
      }
      client.pipe(server).pipe(client)
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()))
    const port = (relay.address() as AddressInfo).port
    const gateway = createGateway(
      {
        models: { fast: { targets: ['openai:gpt-4o-mini'] } },
        retry: { maxRetries: 0 },
        keys: [{ id: 'shared', secret, limits: { rpm: 1000 } }],
        state: { redis: `redis://127.0.0.1:${port}${target.pathname}` },
      },
      {
        providers: { openai: { ...upstream.settings, load: () => import('@modelplex/provider-openai') } },
        redisPrefix: `mpx-test-${randomUUID()}:`,
      },
    )
    try {
      expect((await ask(gateway)).status).toBe(200)
      // Redis goes away: the relay stops accepting and drops what is open.
      await new Promise<void>((resolve) => {
        relay.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      const down = await ask(gateway)
      expect(down.status).toBe(503)
      expect((await down.json()).error.code).toBe('store_unavailable')
      expect((await gateway.fetch(new Request('http://gateway/health/ready'))).status).toBe(503)
      // Redis is back on the same address: the client reconnects and requests pass again.
      await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', () => resolve()))
      let status = 0
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        status = (await ask(gateway)).status
      }
      expect(status).toBe(200)
    } finally {
      await gateway.close()
      relay.close()
      for (const socket of sockets) socket.destroy()
    }
  })

  it('fails closed with 503 when Redis cannot be reached', async () => {
    const gateway = createGateway(
      {
        models: { fast: { targets: ['openai:gpt-4o-mini'] } },
        keys: [{ id: 'shared', secret, limits: { rpm: 10 } }],
        state: { redis: 'redis://127.0.0.1:9/0' },
      },
      { providers: { openai: { ...upstream.settings, load: () => import('@modelplex/provider-openai') } } },
    )
    try {
      const answer = await ask(gateway)
      expect(answer.status).toBe(503)
      expect((await answer.json()).error.code).toBe('store_unavailable')
      expect((await gateway.fetch(new Request('http://gateway/health/ready'))).status).toBe(503)
    } finally {
      await gateway.close()
    }
  })
})
