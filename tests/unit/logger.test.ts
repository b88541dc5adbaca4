import { expect, it } from 'vitest'
import { createApp } from '../../api/http/app.js'
import { jsonLogger } from '../../api/logger.js'
import { DEFAULT_REGION_BBOX } from '../../api/config.js'

it('logs one JSON object per request that a forged path cannot break into two lines', async () => {
  const lines: string[] = []
  const log = jsonLogger('info', { write: (line) => void lines.push(line) })
  // No database is needed: an unknown path is answered before any query.
  const app = createApp({
    db: undefined as never,
    backend: 'pglite',
    config: { regionBbox: DEFAULT_REGION_BBOX, regionName: 'Flevoland', maxBodyBytes: 1024 },
    log,
  })
  const res = await app.request('/nowhere/%0d%0a2026-12-06T00:00:00Z%20ERROR%20forged')
  expect(res.status).toBe(404)
  const text = lines.join('')
  const records = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  expect(records).toHaveLength(1)
  expect(records[0]).toMatchObject({
    level: 'info',
    msg: 'request',
    method: 'GET',
    path: '/nowhere/\r\n2026-12-06T00:00:00Z ERROR forged',
    status: 404,
    requestId: res.headers.get('x-request-id'),
  })
  expect(text).not.toMatch(/^2026-12-06T00:00:00Z ERROR/m)
})
