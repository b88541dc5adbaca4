import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp } from '../../api/http/app.js'
import { listen } from '../../api/http/listen.js'
import { workerCompute, type Compute } from '../../api/services/compute/pool.js'
import {
  assetBody,
  call,
  describeBackends,
  needsSharedData,
  TEST_CONFIG,
  realAreasIfShared,
} from '../helpers/backends.js'

/** Heavy: every populated cell of the province at resolution 10 weighed as a site. */
const heavy = (threshold: number) =>
  `/api/suggestions?area=province&res=10&k=50&limit=5000&mode=line&threshold=${threshold}`

describeBackends(
  'no request can stall the others',
  (ctx) => {
    let compute: Compute
    let server: Server
    let base: string
    beforeAll(async () => {
      if (!needsSharedData()) return
      // As the service runs: heavy analysis on worker threads, a short queue for this test.
      compute = workerCompute({ threads: 1, maxQueue: 2 })
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        config: TEST_CONFIG,
        clock: ctx().clock,
        compute,
      })
      server = await new Promise<Server>((resolve) => {
        const s = listen(app, { port: 0, hostname: '127.0.0.1' }, () => resolve(s))
      })
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      // The reach the suggestions start from, computed once before the test.
      expect((await fetch(`${base}/api/coverage?area=province&res=10`)).status).toBe(200)
    })
    afterAll(async () => {
      server?.closeAllConnections()
      await new Promise((resolve) => server?.close(resolve))
      await compute?.close()
    })

    it.runIf(needsSharedData())(
      'answers health checks while a suggestion for the whole province computes',
      async () => {
        let done = false
        const suggestion = fetch(`${base}${heavy(4321)}`).then(async (r) => {
          done = true
          return { status: r.status, body: await r.text() }
        })
        // With the work on the event loop, no health check got through until it was done.
        let answeredMeanwhile = 0
        while (!done) {
          const health = await fetch(`${base}/api/health`)
          expect(health.status).toBe(200)
          await health.text()
          if (!done) answeredMeanwhile++
        }
        const result = await suggestion
        expect(result.status, result.body).toBe(200)
        expect(JSON.parse(result.body).suggestions.length).toBeGreaterThan(0)
        expect(answeredMeanwhile).toBeGreaterThanOrEqual(5)
      },
    )

    it.runIf(needsSharedData())(
      'queues heavy work with a limit: beyond it a clear 503 with Retry-After, the rest answered',
      async () => {
        // One thread and a queue of two: of eight at once, at least five are turned away.
        const answers = await Promise.all(
          Array.from({ length: 8 }, async (_, i) => {
            const r = await fetch(`${base}${heavy(3000 + 97 * i)}`, {
              headers: { 'accept-language': 'en' },
            })
            return { status: r.status, headers: r.headers, json: await r.json() }
          }),
        )
        const refused = answers.filter((a) => a.status === 503)
        expect(refused.length).toBeGreaterThanOrEqual(5)
        expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1)
        expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true)
        for (const r of refused) {
          expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/)
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
          expect(r.json).toMatchObject({ status: 503, reason: 'analysis_queue_full' })
          expect(r.json.detail).toMatch(/Try again in \d+ seconds/)
          expect(r.json.messages.detail.nl).toMatch(/Probeer het over \d+ seconden opnieuw/)
        }
        // And it recovers: the next one is answered.
        expect((await fetch(`${base}${heavy(2500)}`)).status).toBe(200)
      },
    )

    it.runIf(needsSharedData())(
      'bounds the work one request may ask for: thresholds per mode, candidates and suggestions',
      async () => {
        const tooFar = await call(ctx().anon, 'GET', heavy(40_000))
        expect(tooFar.status).toBe(400)
        expect(tooFar.json.errors).toEqual([
          expect.objectContaining({ pointer: 'threshold', in: 'query', code: 'too_large' }),
        ])
        for (const [q, pointer] of [
          ['mode=walk&threshold=5001', 'threshold'],
          ['limit=5001', 'limit'],
          ['k=51', 'k'],
        ] as const) {
          const r = await call(ctx().anon, 'GET', `/api/suggestions?area=province&${q}`)
          expect(r.status, q).toBe(400)
          expect(r.json.errors[0].pointer, q).toBe(pointer)
        }
        const scenario = await call(ctx().app, 'POST', '/api/scenarios', {
          name: 'Ver weg',
          area: 'GM0995',
          mode: 'line',
          threshold: 20_000,
          add: [],
        })
        expect(scenario.status).toBe(422)
        expect(scenario.json.errors[0]).toMatchObject({ pointer: '/threshold', code: 'too_large' })
        const report = await call(ctx().anon, 'GET', '/reports/GM0995.json?threshold_line=16000')
        expect(report.status).toBe(400)
        expect(report.json.errors[0].pointer).toBe('threshold_line')
      },
    )
  },
  {
    reset: 'none',
    areas: realAreasIfShared('gemeenten+wijken'),
    setup: async (c) => {
      if (!needsSharedData()) return
      await call(c.app, 'POST', '/api/assets', assetBody({ name: 'Buurthuis' }, [5.4714, 52.5185]))
    },
  },
)
