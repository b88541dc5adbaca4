import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from '../../api/db/availability.js'
import { openDatabase } from '../../api/db/create-db.js'
import { toProblem } from '../../api/http/problem.js'
import { freePort } from '../helpers/loadtest.js'

const coded = (code: string, extra: object = {}) =>
  Object.assign(new Error(`error ${code}`), { code }, extra)

describe('database availability', () => {
  it('tells an unreachable database from a wrong request', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
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
    // node-postgres says a connection was lost, timed out or the pool is full in words.
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
    ])
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true)
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

  it('reports a refused server as unavailable, each time it is asked', async () => {
    const port = await freePort() // nothing listens here
    const url = `postgres://nobody@127.0.0.1:${port}/none`
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await openDatabase({ databaseUrl: url }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toMatch(/Cannot reach PostgreSQL at .*127\.0\.0\.1/)
      expect(isDatabaseUnavailable(error)).toBe(true)
    }
  })
})
