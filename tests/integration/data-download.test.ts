import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DomainError } from '../../api/domain/errors.js'
import { downloadRegion, type DownloadOptions } from '../../api/services/download/region.js'
import { detectOsmFile, readOsm } from '../../api/services/osm-reader.js'
import { createApp } from '../../api/http/app.js'
import {
  call,
  describeBackends,
  requireSharedData,
  TEST_CONFIG,
  DATA_TABLES,
  truncateTables,
  withToken,
  type TestContext,
} from '../helpers/backends.js'
import { NL, nlSchemas } from '../helpers/osm.js'

/**
 * `data:download` against a local server that answers like PDOK's OGC API Features and an
 * Overpass API (no internet here). The answers are built from the real files in shared/data:
 * Lelystad and its wijken from the CBS extracts, in PDOK's field names and paging; the real
 * Amsterdam OpenStreetMap extract as Overpass JSON.
 */
type Feature = { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }
const PAGE = 5
let gemeenten: Feature[] = []
let wijken: Feature[] = []
let overpassJson = ''
const hits = new Map<string, number>()
/** What the fake services do now; each test sets it. */
let mode: 'normal' | 'overpass-429' | 'overpass-timeout' | 'schema-changed' | 'interrupted' =
  'normal'
let server: http.Server
let base = ''
/** When set, the gemeenten collection refuses the gemeentecode filter. */
let strictPdok = false

function pdokProps(p: Record<string, unknown>, level: 'gemeente' | 'wijk') {
  const code = String(p.code)
  return level === 'gemeente'
    ? {
        jaar: 2023,
        gemeentecode: code,
        gemeentenaam: p.name,
        water: 'NEE',
        aantal_inwoners: p.population,
      }
    : {
        jaar: 2023,
        wijkcode: code,
        wijknaam: p.name,
        gemeentecode: `GM${code.slice(2, 6)}`,
        gemeentenaam: 'x',
        water: 'NEE',
        [mode === 'schema-changed' ? 'inwoners' : 'aantal_inwoners']: p.population,
      }
}

function page(features: Feature[], url: URL) {
  const cursor = Number(url.searchParams.get('cursor') ?? 0)
  const next = cursor + PAGE < features.length
  const link = (c: number) => {
    const u = new URL(url)
    u.searchParams.set('cursor', String(c))
    return u.toString()
  }
  return {
    type: 'FeatureCollection',
    timeStamp: '2026-11-21T10:00:00Z',
    links: [
      { rel: 'self', type: 'application/geo+json', href: link(cursor) },
      ...(next
        ? [
            {
              rel: 'next',
              title: 'Next page',
              type: 'application/geo+json',
              href: link(cursor + PAGE),
            },
          ]
        : []),
    ],
    features: features.slice(cursor, cursor + PAGE),
    numberReturned: Math.min(PAGE, features.length - cursor),
  }
}

beforeAll(async () => {
  const read = (file: string) =>
    JSON.parse(fs.readFileSync(requireSharedData(file), 'utf8')) as { features: Feature[] }
  const gm = read('flevoland_gemeenten_2022.geojson').features.filter((f) =>
    ['GM0995', 'GM0303'].includes(String(f.properties.code)),
  )
  const wk = read('flevoland_wijken_2022.geojson').features.filter((f) =>
    /^WK(0995|0303)/.test(String(f.properties.code)),
  )
  gemeenten = gm.map((f) => ({ ...f, properties: pdokProps(f.properties, 'gemeente') }))
  // PDOK also serves the water part of a gemeente as a row of its own.
  gemeenten.push({
    ...gemeenten[0]!,
    properties: { ...gemeenten[0]!.properties, water: 'JA', aantal_inwoners: -99997 },
  })
  wijken = wk.map((f) => ({ ...f, properties: pdokProps(f.properties, 'wijk') }))
  const file = requireSharedData('osm/amsterdam.osm.gz')
  const elements: unknown[] = []
  for await (const batch of readOsm(file, await detectOsmFile(file))) {
    for (const e of batch) {
      if (e.type === 'node')
        elements.push({
          type: 'node',
          id: e.id,
          lat: e.lat,
          lon: e.lon,
          ...(e.tags ? { tags: e.tags } : {}),
        })
      else if (e.type === 'way')
        elements.push({ type: 'way', id: e.id, nodes: e.refs, ...(e.tags ? { tags: e.tags } : {}) })
      else
        elements.push({
          type: 'relation',
          id: e.id,
          members: e.members,
          ...(e.tags ? { tags: e.tags } : {}),
        })
    }
  }
  overpassJson = JSON.stringify({
    version: 0.6,
    generator: 'Overpass API 0.7.62.1 084b4234',
    osm3s: {
      timestamp_osm_base: '2026-02-13T12:11:40Z',
      copyright:
        'The data included in this document is from www.openstreetmap.org. The data is made available under ODbL.',
    },
    elements,
  })

  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    const key = `${req.method} ${url.pathname}`
    hits.set(key, (hits.get(key) ?? 0) + 1)
    const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/geo+json', ...headers })
      res.end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    if (url.pathname === '/pdok/2023/collections/gemeenten/items') {
      const code = url.searchParams.get('gemeentecode')
      // Like a server without that property filter: GoKoala refuses unknown parameters.
      if (code && strictPdok) {
        return json(
          {
            title: 'Bad Request',
            status: 400,
            detail: 'unknown query parameter(s) found: gemeentecode',
          },
          400,
        )
      }
      return json(
        page(code ? gemeenten.filter((f) => f.properties.gemeentecode === code) : gemeenten, url),
      )
    }
    if (url.pathname === '/pdok/2023/collections/wijken/items') {
      wijken = wijken.map((f) => ({ ...f, properties: { ...f.properties } }))
      if (mode === 'schema-changed') {
        return json(
          page(
            wijken.map((f) => {
              const { aantal_inwoners, ...rest } = f.properties
              return { ...f, properties: { ...rest, inwoners: aantal_inwoners } }
            }),
            url,
          ),
        )
      }
      return json(page(wijken, url))
    }
    if (url.pathname === '/pdok/2023/collections/buurten/items') return json(page([], url))
    if (url.pathname === '/files/tudelft.osm.pbf') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      fs.createReadStream(requireSharedData('osm/tudelft.osm.pbf')).pipe(res)
      return
    }
    if (url.pathname === '/overpass/api/interpreter' && req.method === 'POST') {
      if (!String(req.headers['user-agent']).startsWith('Buurtkaart')) return json('no UA', 406)
      const n = hits.get(key) ?? 0
      if (mode === 'overpass-429' && n === 1)
        return json('rate_limited', 429, { 'retry-after': '0' })
      if (mode === 'overpass-timeout') {
        return json(`{"version":0.6,"elements":[{"type":"node","id":1,"lat":52,"lon":5}],
"remark": "runtime error: Query timed out in \\"query\\" at line 3 after 181 seconds."}`)
      }
      if (mode === 'interrupted') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(overpassJson.length),
        })
        res.write(overpassJson.slice(0, 1000))
        setTimeout(() => res.destroy(), 5)
        return
      }
      return json(overpassJson, 200, { 'content-type': 'application/json' })
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise((resolve) => server.close(resolve)))

describeBackends(
  'data:download for a gemeente (PDOK and Overpass replayed locally)',
  (ctx) => {
    let cacheDir = ''
    const run = (c: TestContext, extra: Partial<DownloadOptions> = {}) =>
      downloadRegion(
        {
          db: c.handle.db,
          clock: c.clock,
          schemas: nlSchemas,
          fetcher: fetch,
          cacheDir,
          regionBbox: NL,
          ferryPenaltyMin: 5,
          retry: { backoffMs: 5, maxWaitMs: 20, attempts: 3 },
        },
        {
          gemeente: 'GM0995',
          year: 2023,
          refresh: false,
          pdokUrl: `${base}/pdok/{year}`,
          overpassUrl: `${base}/overpass/api/interpreter`,
          userAgent: 'Buurtkaart test',
          ...extra,
        },
      )
    const count = async (table: string) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
          ctx().handle.db,
        )
      ).rows[0]!.n

    beforeAll(() => {
      cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-downloads-'))
    })
    afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }))

    it('downloads Lelystad page by page and imports it like the files; a second run uses the cache', async () => {
      mode = 'normal'
      hits.clear()
      const report = await run(ctx())
      const lelystadWijken = wijken.filter((f) => f.properties.gemeentecode === 'GM0995')
      expect(report.target.gemeenten).toEqual(['GM0995'])
      // Only Lelystad's land row and its wijken: no Dronten, no water row.
      expect(report.areas?.by_level).toEqual({ gemeente: 1, wijk: lelystadWijken.length })
      const expected = lelystadWijken.reduce((s, f) => s + Number(f.properties.aantal_inwoners), 0)
      expect(report.areas?.surface.inhabitants).toBe(expected)
      // Every page of every collection, plus the gemeente lookup.
      expect(hits.get('GET /pdok/2023/collections/wijken/items')).toBe(
        Math.ceil(wijken.length / PAGE),
      )
      expect(report.osm?.elements).toEqual({ nodes: 36_098, ways: 3_435, relations: 183 })

      const area = await call(ctx().app, 'GET', '/api/coverage?area=GM0995&gaps=0')
      expect(area.status, area.text).toBe(200)
      const source = area.json.inputs.population.sources[0].source as string
      expect(source).toContain(`via PDOK (${base}/pdok/2023/collections/wijken/items`)
      expect(source).toContain('CC-BY 4.0, retrieved 2026-11-21')
      const network = await call(ctx().app, 'GET', '/api/network')
      expect(network.json.profiles[0].source).toMatchObject({
        url: `${base}/overpass/api/interpreter`,
        licence: 'ODbL 1.0, © OpenStreetMap contributors',
        newestObject: '2026-02-13T12:11:40Z',
      })
      expect(report.downloads.every((d) => !d.cached)).toBe(true)
      const record = JSON.parse(
        fs.readFileSync(path.join(cacheDir, 'overpass-GM0995.json'), 'utf8'),
      ) as Record<string, unknown>
      expect(record).toMatchObject({ licence: 'ODbL 1.0', items: 39_716 })

      const before = new Map(hits)
      const again = await run(ctx())
      expect(again.downloads.every((d) => d.cached)).toBe(true)
      expect(hits.get('POST /overpass/api/interpreter')).toBe(
        before.get('POST /overpass/api/interpreter'),
      )
      expect(hits.get('GET /pdok/2023/collections/wijken/items')).toBe(
        before.get('GET /pdok/2023/collections/wijken/items'),
      )
      const fresh = await run(ctx(), { refresh: true })
      expect(fresh.downloads.some((d) => d.cached)).toBe(false)
      expect(hits.get('POST /overpass/api/interpreter')).toBe(
        (before.get('POST /overpass/api/interpreter') ?? 0) + 1,
      )
    })

    it('lets an admin load a region from the web app: a background job with progress', async () => {
      await truncateTables(ctx().handle.db, [...DATA_TABLES])
      mode = 'normal'
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-data-'))
      const anon = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: ctx().clock,
        config: {
          ...TEST_CONFIG,
          regionBbox: NL,
          dataDir: path.join(dataDir, 'pglite'),
          pdokUrl: `${base}/pdok/{year}`,
          overpassUrl: `${base}/overpass/api/interpreter`,
        },
      })
      const token = await ctx().token('admin')
      const app = withToken(anon, () => token)
      expect((await call(anon, 'GET', '/api/data/status')).json).toMatchObject({
        adminEnabled: false,
      })
      const status = await call(app, 'GET', '/api/data/status')
      expect(status.json).toMatchObject({ empty: true, adminEnabled: true })
      expect(status.json.regions).toEqual([{ code: 'flevoland', name: 'Flevoland' }])
      expect((await call(anon, 'POST', '/api/data/download', { gemeente: 'GM0995' })).status).toBe(
        401,
      )
      const auth = {}
      const bad = await call(app, 'POST', '/api/data/download', { gemeente: 'Lelystad' }, auth)
      expect(bad.status).toBe(422)
      expect(bad.json.errors[0].pointer).toBe('/gemeente')
      const started = await call(app, 'POST', '/api/data/download', { gemeente: 'GM0995' }, auth)
      expect(started.status, started.text).toBe(202)
      expect(
        (await call(app, 'POST', '/api/data/download', { region: 'flevoland' }, auth)).status,
      ).toBe(409)
      let job = started.json as { status: string; progress: { step: string }[] }
      for (let i = 0; i < 300 && job.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100))
        job = (await call(app, 'GET', started.headers.get('location')!, undefined, auth)).json
      }
      expect(job.status).toBe('done')
      expect(job.progress.map((p) => p.step)).toEqual(
        expect.arrayContaining(['areas', 'osm', 'import']),
      )
      expect((await call(app, 'GET', '/api/data/status')).json.empty).toBe(false)
      expect(
        fs.readdirSync(path.join(dataDir, 'downloads')).some((f) => f.startsWith('overpass')),
      ).toBe(true)
      fs.rmSync(dataDir, { recursive: true, force: true })
    })

    it('finds the gemeente without a property filter when PDOK has none', async () => {
      mode = 'normal'
      strictPdok = true
      const report = await run(ctx(), { osm: false, refresh: true })
      strictPdok = false
      expect(report.target.gemeenten).toEqual(['GM0995'])
      expect(report.areas?.by_level.gemeente).toBe(1)
    })

    it('takes OpenStreetMap from a .osm.pbf URL instead of Overpass, byte for byte', async () => {
      mode = 'normal'
      const report = await run(ctx(), { osmUrl: `${base}/files/tudelft.osm.pbf`, areas: false })
      expect(report.osm?.elements).toEqual({ nodes: 67_612, ways: 9_619, relations: 202 })
      const file = report.downloads.find((d) => d.url.endsWith('tudelft.osm.pbf'))
      // SOURCES.md: 1,023,736 bytes, sha256 ac8674b5…
      expect(file).toMatchObject({ bytes: 1_023_736, licence: 'ODbL 1.0', cached: false })
      expect(
        file?.sha256.startsWith('ac8674b5cbd81f341409af738ab7f8c5961d12899baf556044765d1aaeee81c4'),
      ).toBe(true)
      const again = await run(ctx(), { osmUrl: `${base}/files/tudelft.osm.pbf`, areas: false })
      expect(again.downloads[0]?.cached).toBe(true)
    })

    it('waits after an Overpass 429 and then loads', async () => {
      mode = 'overpass-429'
      hits.clear()
      const retries: string[] = []
      const report = await run(ctx(), {
        refresh: true,
        onProgress: (p) => {
          if (p.step === 'retry') retries.push(p.why)
        },
      })
      expect(retries).toEqual(['HTTP 429'])
      expect(report.osm?.network?.edges).toBeGreaterThan(1000)
    })

    it.each(['overpass-timeout', 'schema-changed', 'interrupted'] as const)(
      'fails cleanly when %s: nothing imported, nothing cached',
      async (failure) => {
        await truncateTables(ctx().handle.db, [...DATA_TABLES])
        mode = failure
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-downloads-'))
        const dir = cacheDir
        cacheDir = empty
        const error = await run(ctx(), { refresh: true }).catch((e: unknown) => e)
        cacheDir = dir
        expect(error).toBeInstanceOf(DomainError)
        expect((error as DomainError).detail.en).toMatch(
          failure === 'overpass-timeout'
            ? /Query timed out/
            : failure === 'schema-changed'
              ? /aantal_inwoners is missing/
              : /Could not reach the server|after 3 attempts/,
        )
        expect(await count('areas')).toBe(0)
        expect(await count('network_edges')).toBe(0)
        expect(await count('assets')).toBe(0)
        expect(
          fs.readdirSync(empty).filter((f) => f.startsWith('overpass') && f.endsWith('.data')),
        ).toEqual([])
        fs.rmSync(empty, { recursive: true, force: true })
      },
    )
  },
  { config: { regionBbox: NL, regionName: 'Nederland' }, reset: 'none' },
)
