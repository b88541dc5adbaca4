import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DomainError } from '../../api/domain/errors.js'
import { fetchText, fetchToFile } from '../../api/services/download/http.js'
import { fetchAllFeatures, requireProperties } from '../../api/services/download/ogc.js'

/**
 * The downloader against a local server that replays the services' answers: no internet.
 * Each route counts its requests, so retries can be checked.
 */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void
const routes = new Map<string, Handler>()
const hits = new Map<string, number>()
let base = ''
let server: http.Server

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const key = url.pathname + url.search
    const n = (hits.get(key) ?? 0) + 1
    hits.set(key, n)
    const handler = routes.get(key) ?? routes.get(url.pathname)
    if (!handler) {
      res.writeHead(404).end()
      return
    }
    handler(req, res, n)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise((resolve) => server.close(resolve)))

const json = (res: http.ServerResponse, body: unknown, status = 200, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/geo+json', ...headers })
  res.end(JSON.stringify(body))
}
const feature = (code: string, inhabitants: number) => ({
  type: 'Feature',
  id: code,
  geometry: { type: 'Point', coordinates: [5.4, 52.5] },
  properties: { code, inhabitants },
})
const fast = { backoffMs: 5, maxWaitMs: 20, attempts: 4 }

describe('downloading with retries and paging (local replay server)', () => {
  it('follows the next links of an OGC API Features collection to the last page', async () => {
    routes.set('/paged/items', (req, res) => {
      const cursor = new URL(req.url ?? '', 'http://x').searchParams.get('cursor')
      if (!cursor) {
        json(res, {
          type: 'FeatureCollection',
          features: [feature('A', 1), feature('B', 2)],
          links: [{ rel: 'next', href: 'items?cursor=2' }],
        })
      } else if (cursor === '2') {
        json(res, {
          type: 'FeatureCollection',
          features: [feature('C', 3)],
          links: [{ rel: 'self', href: 'items?cursor=2' }],
        })
      }
    })
    const pages: number[] = []
    const result = await fetchAllFeatures(fetch, `${base}/paged/items`, {
      ...fast,
      onPage: (p) => pages.push(p.features),
    })
    expect(result.features.map((f) => f.properties.code)).toEqual(['A', 'B', 'C'])
    expect(result.pages).toBe(2)
    expect(pages).toEqual([2, 3])
  })

  it('waits and retries after 429 (Retry-After) and 503, then succeeds', async () => {
    routes.set('/busy', (_req, res, n) => {
      if (n === 1) json(res, {}, 429, { 'retry-after': '0' })
      else if (n === 2) json(res, {}, 503)
      else json(res, { type: 'FeatureCollection', features: [] })
    })
    const retries: string[] = []
    const { text } = await fetchText(
      fetch,
      `${base}/busy`,
      {},
      {
        ...fast,
        onRetry: (r) => retries.push(r.why),
      },
    )
    expect(JSON.parse(text)).toEqual({ type: 'FeatureCollection', features: [] })
    expect(retries).toEqual(['HTTP 429', 'HTTP 503'])
  })

  it('gives up after the attempts with a clear error, and at once on a 404', async () => {
    routes.set('/down', (_req, res) => json(res, {}, 502))
    const error = await fetchText(fetch, `${base}/down`, {}, fast).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DomainError)
    expect((error as DomainError).detail.en).toMatch(/HTTP 502, also after 4 attempts/)
    expect(hits.get('/down')).toBe(4)
    const missing = await fetchText(fetch, `${base}/nothing-here`, {}, fast).catch(
      (e: unknown) => e,
    )
    expect((missing as DomainError).detail.en).toMatch(/HTTP 404\./)
    expect(hits.get('/nothing-here')).toBe(1)
  })

  it('retries a download that breaks off halfway', async () => {
    routes.set('/flaky', (_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
        res.write('{"type":"FeatureCollection","feat')
        setTimeout(() => res.destroy(), 10)
        return
      }
      json(res, { type: 'FeatureCollection', features: [feature('X', 9)] })
    })
    const result = await fetchAllFeatures(fetch, `${base}/flaky`, fast)
    expect(result.features).toHaveLength(1)
    expect(hits.get('/flaky')).toBe(2)
  })

  it('says plainly when there is no connection at all', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const error = await fetchText(fetch, `http://127.0.0.1:${port}/x`, {}, fast).catch(
      (e: unknown) => e,
    )
    expect((error as DomainError).detail.nl).toMatch(
      /Geen verbinding met de server \(ECONNREFUSED\)/,
    )
  })

  it('notices a changed schema: not a FeatureCollection, or a field the import needs is gone', async () => {
    routes.set('/changed', (_req, res) => json(res, { items: [] }))
    const notGeoJson = await fetchAllFeatures(fetch, `${base}/changed`, fast).catch(
      (e: unknown) => e,
    )
    expect((notGeoJson as DomainError).detail.en).toMatch(/not a GeoJSON FeatureCollection/)
    routes.set('/renamed', (_req, res) =>
      json(res, {
        type: 'FeatureCollection',
        features: [{ ...feature('A', 1), properties: { code: 'A', inwoners: 1 } }],
      }),
    )
    const { features } = await fetchAllFeatures(fetch, `${base}/renamed`, fast)
    expect(() => requireProperties(`${base}/renamed`, features, ['code', 'inhabitants'])).toThrow(
      /inhabitants is missing/,
    )
  })

  it('stops a body that unpacks (Content-Encoding: gzip) beyond the limit, without retrying', async () => {
    const limit = 256 * 1024
    const bomb = gzipSync(Buffer.alloc(8 << 20, 0x20))
    routes.set('/bomb', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(bomb)
    })
    const text = await fetchText(fetch, `${base}/bomb`, {}, { ...fast, maxBytes: limit }).catch(
      (e: unknown) => e,
    )
    expect(text).toBeInstanceOf(DomainError)
    expect(text).toMatchObject({ extra: { limit_bytes: limit } })
    expect((text as DomainError).extra.received_bytes).toBeLessThanOrEqual(limit)
    expect(hits.get('/bomb')).toBe(1)

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-bomb-'))
    const file = path.join(dir, 'download.part')
    const written = await fetchToFile(fetch, `${base}/bomb`, file, {}, { ...fast, maxBytes: limit })
      .then(() => 'finished')
      .catch((e: unknown) => e)
    expect(written).toBeInstanceOf(DomainError)
    expect(fs.statSync(file).size).toBeLessThanOrEqual(limit)
    expect(hits.get('/bomb')).toBe(2)
    fs.rmSync(dir, { recursive: true })
  })
})
