/**
 * Error codes meaning "the database cannot be reached right now", not "this request is wrong":
 * socket errors, postgres.js connection states, our own pool errors below, and the SQLSTATEs of
 * a server that is shutting down, starting up or full (class 08, connection exceptions, is
 * matched by prefix).
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'DATABASE_DOWN',
  'POOL_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
])

/** Whether `err` (or an error it wraps) says the database is unreachable rather than wrong. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)))
    return true
  // A read replica cancels a query whose rows replay is about to remove: a moment's conflict,
  // not a wrong request (SQLSTATE 40001 like a serialization failure, told apart by its text).
  if (code === '40001' && /conflict with recovery/i.test(String((err as Error).message)))
    return true
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true
  return isDatabaseUnavailable(cause, depth + 1)
}

const coded = (message: string, code: string, cause?: unknown) =>
  Object.assign(new Error(message, cause === undefined ? {} : { cause }), { code })

/** The part of a postgres.js pool that kysely-postgres-js acquires connections with. */
interface Pool {
  reserve(): Promise<{ release(): void }>
}

export interface FailFastOptions {
  /**
   * Longest wait for a pooled connection. A safety net: postgres.js 3.4.9 can leave a queued
   * `reserve()` unsettled for good when the connection it waits on is closed by the server
   * (porsager/postgres#1195), and a request must never hang.
   */
  readonly acquireTimeoutMs: number
}

/**
 * Wraps a postgres.js pool so that, once a connection attempt has failed because the server is
 * unreachable, requests fail at once (one request at a time goes through as a probe) instead
 * of each queueing behind reconnect back-off; the first probe that gets a connection ends the
 * outage. Only `reserve()` (what kysely-postgres-js acquires connections with) is changed.
 */
export function failFast<T extends Pool>(client: T, options: FailFastOptions): T {
  type Reserved = Awaited<ReturnType<T['reserve']>>
  let down: unknown = null
  let probing = false

  const acquire = async (): Promise<Reserved> => {
    const pending = client.reserve() as Promise<Reserved>
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          coded(`No database connection within ${options.acquireTimeoutMs} ms`, 'POOL_TIMEOUT'),
        )
        // Should it come after all, hand it straight back.
        pending.then(
          (c) => c.release(),
          () => {},
        )
      }, options.acquireTimeoutMs)
    })
    try {
      return await Promise.race([pending, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  const reserve = async () => {
    let probe = false
    if (down !== null) {
      if (probing)
        throw coded('The database is unreachable (a reconnect is under way)', 'DATABASE_DOWN', down)
      probing = probe = true
    }
    try {
      const connection = await acquire()
      down = null
      return connection
    } catch (e) {
      // A full pool is load, not an outage: only a failed connection trips the fast path.
      if (isDatabaseUnavailable(e) && (e as { code?: unknown }).code !== 'POOL_TIMEOUT') down = e
      throw e
    } finally {
      if (probe) probing = false
    }
  }

  return new Proxy(client, {
    get: (target, prop, receiver) =>
      prop === 'reserve' ? reserve : (Reflect.get(target, prop, receiver) as unknown),
  })
}
