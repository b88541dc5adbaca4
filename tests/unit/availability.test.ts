import { Hono } from 'hono'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { failFast, isDatabaseUnavailable } from '../../api/db/availability.js'
import { toProblem } from '../../api/http/problem.js'
import { freePort } from '../../scripts/loadtest-lib.js'

const coded = (code: string, extra: object = {}) =>
  Object.assign(new Error(`error ${code}`), { code }, extra)

describe('database availability', () => {
  it('tells an unreachable database from a wrong request', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECT_TIMEOUT',
      '08006',
      '08001',
      '57P01',
      '57P02',
      '57P03',
      '53300',
    ])
      expect(isDatabaseUnavailable(coded(code)), code).toBe(true)
    for (const code of ['23505', '22P02', '42P01', '40001', '57014', 'ERR_INVALID_ARG_TYPE'])
      expect(isDatabaseUnavailable(coded(code)), code).toBe(false)
    // A hot standby cancelling a query during replay (recovery conflict) is transient too.
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('canceling statement due to conflict with recovery'), {
          code: '40001',
        }),
      ),
    ).toBe(true)
    expect(isDatabaseUnavailable(new Error('plain'))).toBe(false)
    expect(isDatabaseUnavailable(null)).toBe(false)
    // Wrapped (cause) and Node's AggregateError from trying several addresses.
    expect(isDatabaseUnavailable(new Error('wrap', { cause: coded('ECONNREFUSED') }))).toBe(true)
    expect(isDatabaseUnavailable(new AggregateError([coded('ECONNREFUSED')], 'all failed'))).toBe(
      true,
    )
  })

  it('answers 503 problem+json with Retry-After in Dutch and English, and 500 for a bug', async () => {
    const app = new Hono()
    app.get('/down', () => {
      throw coded('57P01')
    })
    app.get('/bug', () => {
      throw new TypeError('x is undefined')
    })
    const logged: unknown[] = []
    app.onError((e, c) => toProblem(e, c, (x) => logged.push(x)))

    const nl = await app.request('/down')
    expect(nl.status).toBe(503)
    expect(nl.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(nl.headers.get('retry-after')).toBe('5')
    const body = (await nl.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      status: 503,
      code: 'database_unavailable',
      type: 'urn:buurtkaart:problem:database_unavailable',
      title: 'Database tijdelijk niet bereikbaar',
      retry_after: 5,
    })
    const en = (await (await app.request('/down?lang=en')).json()) as { title: string }
    expect(en.title).toBe('Database temporarily unavailable')
    expect(logged).toEqual([])

    expect((await app.request('/bug')).status).toBe(500)
    expect(logged).toHaveLength(1)
  })

  it('fails at once while a refused server is being probed, and probes again after', async () => {
    const port = await freePort() // nothing listens here
    const client = postgres(`postgres://nobody@127.0.0.1:${port}/none`, {
      max: 2,
      connect_timeout: 2,
      backoff: () => 0,
    })
    const pool = failFast(client, { acquireTimeoutMs: 5000 })
    try {
      const first = await pool.reserve().catch((e: unknown) => e)
      expect((first as { code?: string }).code).toBe('ECONNREFUSED')
      // One request probes; the others meanwhile are refused by the wrapper without waiting.
      const [probe, other] = await Promise.all([
        pool.reserve().catch((e: unknown) => e),
        pool.reserve().catch((e: unknown) => e),
      ])
      expect((probe as { code?: string }).code).toBe('ECONNREFUSED')
      expect((other as { code?: string }).code).toBe('DATABASE_DOWN')
      expect(isDatabaseUnavailable(other)).toBe(true)
      // The probe is over: the next request tries the server again (no lock-out).
      const again = await pool.reserve().catch((e: unknown) => e)
      expect((again as { code?: string }).code).toBe('ECONNREFUSED')
    } finally {
      await client.end({ timeout: 0 })
    }
  })
})
