import { type ServedKit, serveKit } from '@modelplex/conformance'
import { kit } from '@modelplex/provider-openai/testing'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type Gateway, type GatewayConfigInput } from './index.js'

const master = 'master-key-0123456789abcdef'
const secrets = {
  limited: 'sk-limited-0123456789abcdef',
  budget: 'sk-budget-0123456789abcdef',
  single: 'sk-single-0123456789abcdef',
  tokens: 'sk-tokens-0123456789abcdef',
}

let upstream: ServedKit
let paced: ServedKit

beforeAll(async () => {
  upstream = await serveKit(kit)
  paced = await serveKit(kit, { paceMs: 40 })
})
afterAll(async () => {
  await upstream?.close()
  await paced?.close()
})

function gatewayOf(
  config: Partial<GatewayConfigInput> = {},
  served: ServedKit = upstream,
  now?: () => number,
): Gateway {
  return createGateway(
    {
      models: {
        fast: { targets: ['openai:gpt-4o-mini'] },
        embed: { targets: ['openai:text-embedding-3-small'] },
      },
      retry: { maxRetries: 0 },
      masterKey: master,
      keys: [
        { id: 'limited', secret: secrets.limited, limits: { rpm: 60 } },
        { id: 'budget', secret: secrets.budget, budget: { usd: 0.00005, period: 'total' } },
        { id: 'single', secret: secrets.single, limits: { concurrent: 1 } },
        { id: 'tokens', secret: secrets.tokens, limits: { tpm: 1000 } },
      ],
      ...config,
    },
    {
      providers: { openai: { ...served.settings, load: () => import('@modelplex/provider-openai') } },
      ...(now ? { now } : {}),
    },
  )
}

const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: 'fast',
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: 10,
    ...extra,
  })

const post = (gateway: Gateway, secret: string | undefined, body: string, path = '/v1/chat/completions') =>
  gateway.fetch(
    new Request(`http://gateway${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret ? { authorization: `Bearer ${secret}` } : {}),
      },
      body,
    }),
  )

describe('admission', () => {
  it('lets exactly rpm requests through a burst, then 429s with retry-after; the SDK waits and succeeds', async () => {
    // The clock stands still during the burst, so no slot comes back while it runs; then it runs.
    let frozen = true
    const base = Date.now()
    let resumedAt = 0
    const gateway = gatewayOf({}, upstream, () => (frozen ? base : base + Date.now() - resumedAt))
    const answers = await Promise.all(
      Array.from({ length: 75 }, () => post(gateway, secrets.limited, chatBody())),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 200)).toHaveLength(60)
    expect(statuses.filter((status) => status === 429)).toHaveLength(15)
    const refused = answers.find((answer) => answer.status === 429)
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(refused?.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    expect(refused?.headers.get('x-modelplex-provider')).toBe('gateway')
    expect(refused?.headers.get('x-modelplex-cost-usd')).toBe('0')
    expect(Number(refused?.headers.get('x-modelplex-overhead-ms'))).toBeGreaterThanOrEqual(0)
    expect((await (refused as Response).json()).error.code).toBe('rate_limit_exceeded')
    const remaining = answers
      .filter((answer) => answer.status === 200)
      .map((answer) => Number(answer.headers.get('x-ratelimit-remaining-requests')))
    expect(Math.min(...remaining)).toBe(0)

    const server = await gateway.listen()
    try {
      resumedAt = Date.now()
      frozen = false
      const noRetry = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: secrets.limited, maxRetries: 0 })
      await expect(
        noRetry.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
      ).rejects.toBeInstanceOf(OpenAI.RateLimitError)
      const patient = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: secrets.limited, maxRetries: 2 })
      const answer = await patient.chat.completions.create({
        model: 'fast',
        messages: [{ role: 'user', content: 'hi' }],
      })
      expect(answer.choices[0]?.message.content).toContain('Hello')
    } finally {
      await server.close()
    }
  })

  it('keeps spend within the budget under concurrent requests, and the usage API agrees', async () => {
    const gateway = gatewayOf()
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => post(gateway, secrets.budget, chatBody())),
    )
    const ok = answers.filter((answer) => answer.status === 200)
    const refused = answers.filter((answer) => answer.status === 429)
    expect(ok.length).toBeGreaterThan(0)
    expect(refused.length).toBeGreaterThan(0)
    expect((await (refused[0] as Response).json()).error.code).toBe('budget_exceeded')
    const spentNanoUsd = ok.reduce(
      (sum, answer) => sum + Math.round(Number(answer.headers.get('x-modelplex-cost-usd')) * 1e9),
      0,
    )
    expect(spentNanoUsd).toBeLessThanOrEqual(50_000)
    const usage = await gateway.fetch(
      new Request('http://gateway/admin/usage?key=budget', {
        headers: { authorization: `Bearer ${master}` },
      }),
    )
    const [row] = (await usage.json()).data
    expect(row.requests).toBe(ok.length)
    expect(row.costNanoUsd).toBe(spentNanoUsd)
  })

  it('refuses a request whose worst case is over the budget before calling upstream', async () => {
    const gateway = gatewayOf()
    const answer = await post(gateway, secrets.budget, chatBody({ max_tokens: 100_000 }))
    expect(answer.status).toBe(429)
    expect((await answer.json()).error.message).toContain('no budget left')
  })

  it('refuses a request larger than the tokens-per-minute limit, and counts what a request used', async () => {
    const gateway = gatewayOf()
    const tooBig = await post(gateway, secrets.tokens, chatBody({ max_tokens: 5000 }))
    expect(tooBig.status).toBe(429)
    expect((await tooBig.json()).error.message).toContain('more than key "tokens"\'s 1000 tokens per minute')
    const first = await post(gateway, secrets.tokens, chatBody({ max_tokens: 100 }))
    expect(first.status).toBe(200)
    // Tokens reserved but unused go back: what is left is 1000 minus the real use, not minus the reservation.
    const second = await post(gateway, secrets.tokens, chatBody({ max_tokens: 100 }))
    expect(Number(second.headers.get('x-ratelimit-remaining-tokens'))).toBeGreaterThan(1000 - 2 * 120)
  })

  it('cancels the upstream when the client aborts mid-stream, and frees the slot', async () => {
    const gateway = gatewayOf({}, paced)
    const server = await gateway.listen()
    try {
      const controller = new AbortController()
      const answer = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secrets.single}`, 'content-type': 'application/json' },
        body: chatBody({ stream: true }),
        signal: controller.signal,
      })
      expect(answer.status).toBe(200)
      const reader = answer.body?.getReader()
      await reader?.read()
      // While the stream runs, the key's one slot is taken.
      const busy = await post(gateway, secrets.single, chatBody())
      expect(busy.status).toBe(429)
      controller.abort()
      let freed = 0
      for (let attempt = 0; attempt < 500 && freed !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        freed = (await post(gateway, secrets.single, chatBody())).status
      }
      expect(freed).toBe(200)
      const metrics = await (await gateway.fetch(new Request('http://gateway/metrics'))).text()
      expect(metrics).toMatch(
        /modelplex_gateway_requests_total\{endpoint="chat",model="fast",provider="openai",status="499"\} 1/,
      )
    } finally {
      await server.close()
    }
  })
})

describe('bad input', () => {
  it('answers malformed JSON, unknown fields and a bad model with 400s that say what to change', async () => {
    const gateway = gatewayOf()
    const malformed = await post(gateway, secrets.limited, '{"model": "fast",')
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).error.message).toContain('not valid JSON')
    const unknown = await post(gateway, secrets.limited, chatBody({ temprature: 0.2 }))
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error.message).toContain('unknown field(s) "temprature"')
    const missing = await post(gateway, secrets.limited, JSON.stringify({ model: 'fast' }))
    expect(missing.status).toBe(400)
    expect((await missing.json()).error.message).toContain('messages')
    const nope = await post(gateway, secrets.limited, chatBody({ model: 'nope' }))
    expect(nope.status).toBe(404)
    expect((await nope.json()).error.code).toBe('model_not_found')
  })

  it('refuses a 20 MB body with 413, and honours a configured limit', async () => {
    const big = await post(gatewayOf(), secrets.limited, chatBody({ user: 'x'.repeat(20 * 1024 * 1024) }))
    expect(big.status).toBe(413)
    const small = await post(
      gatewayOf({ maxBodyBytes: 1000 }),
      secrets.limited,
      chatBody({ user: 'x'.repeat(2000) }),
    )
    expect(small.status).toBe(413)
    expect((await small.json()).error.message).toContain('raise maxBodyBytes')
  })

  it('answers a missing or unknown key with 401, and never echoes it', async () => {
    const gateway = gatewayOf()
    const none = await post(gateway, undefined, chatBody())
    expect(none.status).toBe(401)
    expect((await none.json()).error.code).toBe('missing_api_key')
    const wrong = await post(gateway, 'sk-not-a-key-0123456789', chatBody())
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).not.toContain('sk-not-a-key-0123456789')
  })
})

describe('admin, health and metrics', () => {
  it('creates a key shown once, lists it without its secret, and revokes it', async () => {
    const gateway = gatewayOf()
    const admin = (path: string, init: RequestInit = {}) =>
      gateway.fetch(
        new Request(`http://gateway${path}`, {
          ...init,
          headers: { authorization: `Bearer ${master}`, ...init.headers },
        }),
      )
    expect((await post(gateway, secrets.limited, '{}', '/admin/keys')).status).toBe(401)
    const created = await admin('/admin/keys', {
      method: 'POST',
      body: JSON.stringify({ id: 'team-c', models: ['fast'] }),
    })
    expect(created.status).toBe(201)
    const { secret } = await created.json()
    expect(secret).toMatch(/^mpx-/)
    expect((await post(gateway, secret, chatBody())).status).toBe(200)
    const listed = await (await admin('/admin/keys')).text()
    expect(listed).toContain('team-c')
    expect(listed).not.toContain(secret)
    expect(listed).not.toContain(secrets.limited)
    expect((await admin('/admin/keys/team-c', { method: 'DELETE' })).status).toBe(200)
    expect((await post(gateway, secret, chatBody())).status).toBe(401)
  })

  it('reports liveness, readiness and Prometheus metrics with no secret in them', async () => {
    const gateway = gatewayOf()
    await post(gateway, secrets.limited, chatBody())
    await post(gateway, secrets.limited, chatBody({ model: 'nope' }))
    expect((await gateway.fetch(new Request('http://gateway/health/live'))).status).toBe(200)
    expect((await gateway.fetch(new Request('http://gateway/health/ready'))).status).toBe(200)
    const metrics = await (await gateway.fetch(new Request('http://gateway/metrics'))).text()
    expect(metrics).toMatch(
      /modelplex_gateway_requests_total\{endpoint="chat",model="fast",provider="openai",status="200"\} 1/,
    )
    expect(metrics).toMatch(/modelplex_gateway_errors_total\{endpoint="chat",type="model_not_found"\} 1/)
    expect(metrics).toMatch(
      /modelplex_gateway_tokens_total\{model="fast",provider="openai",direction="output"\} [1-9]/,
    )
    expect(metrics).toMatch(/modelplex_gateway_cost_usd_total\{model="fast",provider="openai"\} [0-9.e-]+/)
    expect(metrics).toContain('modelplex_gateway_overhead_seconds_bucket')
    for (const secret of [...Object.values(secrets), master]) expect(metrics).not.toContain(secret)
  })
})
