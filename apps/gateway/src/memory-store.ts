import type { StoredKey } from './gateway-config.js'

/** What admission reserves for one request, before it runs. */
export interface Estimate {
  tokens: number
  nanoUsd: number
}

/** What a request really used, reported when it ends (success, error or abort). */
export interface Actual {
  tokens: number
  nanoUsd: number
}

export type Admission =
  | {
      ok: true
      reservation: string
      /** Requests and tokens left in the key's limits after this one; undefined where there is no limit. */
      remainingRequests: number | undefined
      remainingTokens: number | undefined
    }
  | {
      ok: false
      limit: 'rpm' | 'tpm' | 'concurrent' | 'budget'
      retryAfterMs: number | undefined
      message: string
    }

/** One usage ledger row: money in integer nano-dollars (1e-9 USD), never a float. */
export interface LedgerRow {
  keyId: string
  model: string
  provider: string
  day: string
  inputTokens: number
  outputTokens: number
  nanoUsd: number
  status: number
}

/**
 * Where limits, budgets and the ledger live. Admission checks and reserves every limit at once
 * (nothing is reserved when one fails); settlement replaces a reservation with the actual use.
 */
export interface GatewayStore {
  admit(key: StoredKey, estimate: Estimate, now: number): Promise<Admission>
  settle(reservation: string, actual: Actual, now: number): Promise<void>
  record(row: LedgerRow): Promise<void>
  usage(filter: { keyId?: string; from?: string; to?: string }): Promise<LedgerRow[]>
  ready(): Promise<boolean>
  /** Keys made through the admin API, shared by every instance (stores that are shared have these). */
  putKey?(key: StoredKey): Promise<void>
  deleteKey?(id: string): Promise<void>
  loadKeys?(): Promise<StoredKey[]>
  /** Calls `listener` when another instance adds or revokes a key. */
  onKeyChange?(listener: (change: KeyChange) => void): void
}

export type KeyChange = { type: 'put'; key: StoredKey } | { type: 'delete'; id: string }

const MINUTE = 60_000

interface KeyState {
  /** GCRA's theoretical arrival time for the rpm limit. */
  tat: number
  /** Token bucket for tpm: tokens available at `tokensAt`. */
  tokens: number
  tokensAt: number
  inFlight: number
  /** Budget: settled spend and open reservations, nano-dollars (1e-9 USD), for `period`. */
  period: string
  spentNanoUsd: number
  reservedNanoUsd: number
}

interface Reservation {
  keyId: string
  estimate: Estimate
  period: string
}

/** The budget period a moment falls in: `total`, a UTC day or a UTC month. */
export function periodOf(budget: StoredKey['budget'], now: number): string {
  if (!budget || budget.period === 'total') return 'total'
  const iso = new Date(now).toISOString()
  return budget.period === 'day' ? iso.slice(0, 10) : iso.slice(0, 7)
}

/**
 * The embedded store for one instance: GCRA for requests per minute (no 2× burst at window
 * edges), a token bucket for tokens per minute, a concurrency counter and budget reservations,
 * all in this process; the ledger is an in-memory list.
 */
export function createMemoryStore(): GatewayStore {
  const states = new Map<string, KeyState>()
  const reservations = new Map<string, Reservation>()
  const ledger: LedgerRow[] = []
  let next = 0

  const stateOf = (key: StoredKey, now: number): KeyState => {
    let state = states.get(key.id)
    const period = periodOf(key.budget, now)
    if (!state) {
      state = {
        tat: now,
        tokens: key.limits?.tpm ?? 0,
        tokensAt: now,
        inFlight: 0,
        period,
        spentNanoUsd: 0,
        reservedNanoUsd: 0,
      }
      states.set(key.id, state)
    }
    if (state.period !== period) {
      state.period = period
      state.spentNanoUsd = 0
    }
    return state
  }

  return {
    async admit(key, estimate, now) {
      const state = stateOf(key, now)
      const limits = key.limits ?? {}
      // Every check first, every reservation after: nothing is taken when one limit fails.
      let newTat: number | undefined
      let remainingRequests: number | undefined
      if (limits.rpm) {
        const interval = MINUTE / limits.rpm
        const tolerance = interval * (limits.rpm - 1)
        const tat = Math.max(state.tat, now)
        if (tat - now > tolerance)
          return {
            ok: false,
            limit: 'rpm',
            retryAfterMs: tat - tolerance - now,
            message: `Key "${key.id}" is over its limit of ${limits.rpm} requests per minute; retry after the retry-after header's seconds`,
          }
        newTat = tat + interval
        remainingRequests = Math.max(0, Math.floor((now + tolerance - newTat) / interval) + 1)
      }
      let tokensLeft: number | undefined
      if (limits.tpm) {
        const rate = limits.tpm / MINUTE
        const level = Math.min(limits.tpm, state.tokens + (now - state.tokensAt) * rate)
        if (estimate.tokens > limits.tpm)
          return {
            ok: false,
            limit: 'tpm',
            retryAfterMs: undefined,
            message: `This request may use ${estimate.tokens} tokens, more than key "${key.id}"'s ${limits.tpm} tokens per minute; lower max_tokens or shorten the prompt`,
          }
        if (level < estimate.tokens)
          return {
            ok: false,
            limit: 'tpm',
            retryAfterMs: Math.ceil((estimate.tokens - level) / rate),
            message: `Key "${key.id}" is over its limit of ${limits.tpm} tokens per minute; retry after the retry-after header's seconds`,
          }
        tokensLeft = level - estimate.tokens
      }
      if (limits.concurrent && state.inFlight >= limits.concurrent)
        return {
          ok: false,
          limit: 'concurrent',
          retryAfterMs: 1000,
          message: `Key "${key.id}" already has ${limits.concurrent} requests in flight, its limit; retry when one ends`,
        }
      if (key.budget) {
        const cap = Math.round(key.budget.usd * 1e9)
        if (state.spentNanoUsd + state.reservedNanoUsd + estimate.nanoUsd > cap)
          return {
            ok: false,
            limit: 'budget',
            retryAfterMs: undefined,
            message: `Key "${key.id}" has no budget left for this request (budget $${key.budget.usd} per ${key.budget.period}); raise the budget or lower max_tokens`,
          }
      }
      if (newTat !== undefined) state.tat = newTat
      if (tokensLeft !== undefined) {
        state.tokens = tokensLeft
        state.tokensAt = now
      }
      state.inFlight++
      state.reservedNanoUsd += estimate.nanoUsd
      const reservation = `r${++next}`
      reservations.set(reservation, { keyId: key.id, estimate, period: state.period })
      return {
        ok: true,
        reservation,
        remainingRequests,
        remainingTokens: tokensLeft === undefined ? undefined : Math.floor(tokensLeft),
      }
    },
    async settle(reservation, actual, now) {
      const held = reservations.get(reservation)
      if (!held) return
      reservations.delete(reservation)
      const state = states.get(held.keyId)
      if (!state) return
      state.inFlight--
      if (state.period === held.period) {
        state.reservedNanoUsd -= held.estimate.nanoUsd
        state.spentNanoUsd += actual.nanoUsd
      }
      // Tokens reserved but not used go back to the bucket; more than reserved become debt.
      state.tokens += held.estimate.tokens - actual.tokens
      void now
    },
    async record(row) {
      ledger.push(row)
    },
    async usage(filter) {
      return ledger.filter(
        (row) =>
          (!filter.keyId || row.keyId === filter.keyId) &&
          (!filter.from || row.day >= filter.from) &&
          (!filter.to || row.day <= filter.to),
      )
    },
    async ready() {
      return true
    },
  }
}
