import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cellToLatLng } from 'h3-js'
import {
  EXTENT,
  lonLatToMercator,
  mercatorToLonLat,
  ringArea,
  tileBox,
  tileRange,
  unitSize,
  type TileAddress,
} from '../../api/domain/tiles.js'
import { createApp, type App } from '../../api/http/app.js'
import { listen } from '../../api/http/listen.js'
import { TILE_SOURCES, type TileSource } from '../../api/http/tile-sources.js'
import type { Database } from '../../api/db/database.js'
import { systemClock } from '../../api/domain/clock.js'
import { assetTileRows } from '../../api/repositories/tiles.js'
import { createTiles, encodeTile } from '../../api/services/tiles.js'
import { inlineCompute } from '../../api/services/compute/pool.js'
import { createAnalysis } from '../../api/services/analysis.js'
import { straightLine } from '../../api/domain/reach.js'
import {
  assetBody,
  backends,
  call,
  describeBackends,
  openTestDatabase,
  steppingClock,
  testAccounts,
  withToken,
  needsSharedData,
  TEST_CONFIG,
  realAreasIfShared,
} from '../helpers/backends.js'

/** One decoded feature: its properties and geometry in tile units. */
interface Decoded {
  readonly type: number
  readonly props: Record<string, unknown>
  readonly geometry: { x: number; y: number }[][]
  readonly extent: number
}

/** Decodes one layer of an MVT with @mapbox/vector-tile (what MapLibre reads). */
export function decodeLayer(bytes: ArrayBuffer, layer: string): Decoded[] {
  if (bytes.byteLength === 0) return []
  const tile = new VectorTile(new PbfReader(new Uint8Array(bytes)))
  const found = tile.layers[layer]
  if (!found) return []
  return Array.from({ length: found.length }, (_, i) => {
    const f = found.feature(i)
    return {
      type: f.type,
      props: { ...f.properties },
      geometry: f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))),
      extent: found.extent,
    }
  })
}

/** The tile holding lon/lat at zoom z, and the position there in (fractional) tile units. */
export function tileAt(lon: number, lat: number, z: number) {
  const [x, y] = tileRange([lon, lat, lon, lat], z)
  const t: TileAddress = { z, x, y }
  const box = tileBox(t)
  const [mx, my] = lonLatToMercator(lon, lat)
  const unit = unitSize(z)
  return { t, px: (mx - box.minX) / unit, py: (box.maxY - my) / unit }
}

const url = (layer: string, t: TileAddress, query = '') =>
  `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt${query ? `?${query}` : ''}`

async function getTile(app: App, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers })
  const bytes = await res.arrayBuffer()
  return { status: res.status, headers: res.headers, bytes }
}

/** A point inside Lelystad, and one in Almere (another z14 tile, another z10 tile too). */
const LELYSTAD: [number, number] = [5.4714, 52.5185]
const ALMERE: [number, number] = [5.2147, 52.3702]

describeBackends(
  'vector tiles',
  (ctx) => {
    const add = async (props: Record<string, unknown>, at: [number, number]) => {
      const res = await call(ctx().app, 'POST', '/api/assets', assetBody(props, at))
      expect(res.status, res.text).toBe(201)
      return res.json as { id: string; properties: Record<string, unknown> }
    }

    it('puts a known asset at its tile coordinates with its public properties only', async () => {
      const asset = await add(
        { name: 'Buurthuis De Kern', contact_email: 'kern@example.nl', contact_name: 'Jan' },
        LELYSTAD,
      )
      const { t, px, py } = tileAt(...LELYSTAD, 14)
      const res = await getTile(ctx().anon, url('assets', t))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile')
      const features = decodeLayer(res.bytes, 'assets')
      expect(features).toHaveLength(1)
      const [f] = features
      expect(f?.type).toBe(1)
      expect(f?.extent).toBe(EXTENT)
      expect(f?.props).toEqual({
        id: asset.id,
        name: 'Buurthuis De Kern',
        kind: 'community_centre',
        is_meeting_place: true,
        status: 'active',
        checked: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      })
      const point = f?.geometry[0]?.[0]
      expect(Math.abs((point?.x ?? NaN) - px)).toBeLessThanOrEqual(0.5)
      expect(Math.abs((point?.y ?? NaN) - py)).toBeLessThanOrEqual(0.5)
      // The neighbouring tile far away does not have it.
      const other = tileAt(...ALMERE, 14)
      expect(
        decodeLayer((await getTile(ctx().anon, url('assets', other.t))).bytes, 'assets'),
      ).toEqual([])
    })

    it('applies the filters of GET /api/assets', async () => {
      await add({ name: 'Bibliotheek', kind: 'library' }, LELYSTAD)
      await add({ name: 'Buurthuis' }, [LELYSTAD[0] + 0.001, LELYSTAD[1]])
      await add({ name: 'Gesloten', status: 'closed' }, [LELYSTAD[0] + 0.002, LELYSTAD[1]])
      const { t } = tileAt(...LELYSTAD, 14)
      const names = async (query: string) =>
        decodeLayer((await getTile(ctx().anon, url('assets', t, query))).bytes, 'assets')
          .map((f) => f.props['name'])
          .sort()
      expect(await names('')).toEqual(['Bibliotheek', 'Buurthuis', 'Gesloten'])
      expect(await names('kind=library')).toEqual(['Bibliotheek'])
      expect(await names('status=active')).toEqual(['Bibliotheek', 'Buurthuis'])
      expect(await names('q=buurt')).toEqual(['Buurthuis'])
    })

    it('clusters at low zoom: the counts sum to the assets in the tile', async () => {
      const points: [number, number][] = []
      for (let i = 0; i < 40; i++)
        points.push([5.42 + (i % 8) * 0.012, 52.48 + Math.floor(i / 8) * 0.01])
      for (const [i, p] of points.entries())
        await add({ name: `Plek ${i}`, is_meeting_place: i % 4 === 0 }, p)
      await add({ name: 'Almere', is_meeting_place: true }, ALMERE)
      for (const z of [8, 10, 12]) {
        const inTile = new Map<string, { t: TileAddress; n: number; mp: number }>()
        for (const [i, p] of [...points, ALMERE].entries()) {
          const { t } = tileAt(...p, z)
          const key = `${t.x}/${t.y}`
          const entry = inTile.get(key) ?? { t, n: 0, mp: 0 }
          entry.n++
          if (i === points.length || i % 4 === 0) entry.mp++
          inTile.set(key, entry)
        }
        for (const { t, n, mp } of inTile.values()) {
          const features = decodeLayer(
            (await getTile(ctx().anon, url('assets', t))).bytes,
            'assets',
          )
          // Clusters of the neighbouring tiles' buffer lie outside 0 … 4095.
          const own = features.filter((f) => {
            const p = f.geometry[0]?.[0] as { x: number; y: number }
            return p.x >= 0 && p.x < EXTENT && p.y >= 0 && p.y < EXTENT
          })
          const count = own.reduce((s, f) => s + ((f.props['point_count'] as number) ?? 1), 0)
          const meeting = own.reduce(
            (s, f) =>
              s +
              ((f.props['meeting_places'] as number | undefined) ??
                (f.props['is_meeting_place'] ? 1 : 0)),
            0,
          )
          expect(count, `z${z}`).toBe(n)
          expect(meeting, `z${z}`).toBe(mp)
          for (const f of own) {
            if (f.props['cluster']) {
              expect(f.props['id']).toBeUndefined()
              expect(f.props['point_count']).toBeGreaterThan(1)
              expect(f.props['point_count_abbreviated']).toBe(String(f.props['point_count']))
            } else {
              expect(typeof f.props['id']).toBe('string')
            }
          }
        }
      }
    })

    it('describes each layer in TileJSON with the version and filters in the tile URL', async () => {
      const res = await call(
        ctx().anon,
        'GET',
        '/tiles/assets.json?kind=library,community_centre&status=active',
      )
      expect(res.status, res.text).toBe(200)
      expect(res.json).toMatchObject({
        tilejson: '3.0.0',
        scheme: 'xyz',
        minzoom: 0,
        maxzoom: 16,
        bounds: [...TEST_CONFIG.regionBbox],
        vector_layers: [{ id: 'assets' }],
      })
      const tiles = res.json.tiles as string[]
      expect(tiles).toHaveLength(1)
      // Relative to the service's root without BUURTKAART_PUBLIC_URL: never the request's host.
      expect(tiles[0]).toMatch(/^\/tiles\/assets\/\{z\}\/\{x\}\/\{y\}\.mvt\?v=\d+&/)
      const u = new URL(tiles[0] as string, 'http://localhost')
      expect(u.searchParams.get('v')).toMatch(/^\d+$/)
      expect(u.searchParams.get('kind')).toBe('community_centre,library')
      expect(u.searchParams.get('status')).toBe('active')
      expect(res.headers.get('cache-control')).toBe('public, no-cache')
      expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/)
    })

    it('never takes tile URLs from the Host header; a configured public URL makes them absolute', async () => {
      const forged = await call(ctx().anon, 'GET', 'http://evil.example/tiles/assets.json')
      expect(forged.json.tiles[0]).toMatch(/^\/tiles\/assets\//)
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        config: { ...TEST_CONFIG, publicUrl: 'https://kaart.example.nl' },
      })
      const res = await call(app, 'GET', 'http://evil.example/tiles/areas.json')
      expect(res.json.tiles[0]).toMatch(/^https:\/\/kaart\.example\.nl\/tiles\/areas\//)
    })

    it('caps dense tiles: over 20,000 assets or 500 KB turn into clusters that still count them all', async () => {
      const { t } = tileAt(...LELYSTAD, 14)
      const box = tileBox(t)
      const [w, s] = mercatorToLonLat(box.minX, box.minY)
      const [e, n] = mercatorToLonLat(box.maxX, box.maxY)
      const generate = async (from: number, to: number, name: string) => {
        // A grid strictly inside the tile, 150 columns wide.
        await sql`insert into assets (id, name, kind, is_meeting_place, geom, wheelchair, status,
            location_precision, source, created_at, created_by, updated_at, updated_by, version)
          select gen_random_uuid(), ${name} || i, 'community_centre', i % 3 = 0,
            ST_SetSRID(ST_MakePoint(${w}::float8 + (${e}::float8 - ${w}::float8) * (0.01 + 0.98 * (i % 150) / 150.0),
              ${s}::float8 + (${n}::float8 - ${s}::float8) * (0.01 + 0.98 * (i / 150) / 150.0)), 4326),
            'unknown', 'active', 'exact', 'import', now(), 'test', now(), 'test', 1
          from generate_series(${from}::int, ${to}::int) i`.execute(ctx().handle.db)
      }
      const check = async (expected: number) => {
        const res = await getTile(ctx().anon, url('assets', t))
        expect(res.status).toBe(200)
        expect(res.bytes.byteLength).toBeLessThanOrEqual(500 * 1024)
        const features = decodeLayer(res.bytes, 'assets')
        expect(features.length).toBeLessThanOrEqual(20_000)
        expect(features.length).toBeLessThan(expected)
        expect(
          features.every((f) => f.props['cluster'] === true || typeof f.props['id'] === 'string'),
        ).toBe(true)
        const own = features.filter((f) => {
          const p = f.geometry[0]?.[0] as { x: number; y: number }
          return p.x >= 0 && p.x < EXTENT && p.y >= 0 && p.y < EXTENT
        })
        expect(own.reduce((sum, f) => sum + ((f.props['point_count'] as number) ?? 1), 0)).toBe(
          expected,
        )
        return res.bytes.byteLength
      }
      // 9,000 long names: fewer than 20,000 points, but one point each would pass 500 KB.
      await generate(
        0,
        8999,
        'Een buurthuis met een lange naam om de tegel groot te maken, nummer ',
      )
      const rows = await assetTileRows(ctx().handle.db, t, {}, { kind: 'points' })
      const points = encodeTile('assets', rows.features).byteLength
      expect(points).toBeGreaterThan(500 * 1024)
      await check(9000)
      // 21,000 in all: over the feature cap whatever their size.
      await generate(9000, 20_999, 'P')
      await check(21_000)
      // Closer in, a quarter of the tile is within the caps again: one point per asset.
      const child = { z: 16, x: t.x * 4 + 1, y: t.y * 4 + 1 }
      const inner = decodeLayer((await getTile(ctx().anon, url('assets', child))).bytes, 'assets')
      expect(inner.length).toBeGreaterThan(500)
      expect(inner.every((f) => typeof f.props['id'] === 'string' && !f.props['cluster'])).toBe(
        true,
      )
    })

    it('answers If-None-Match with 304, and an edit changes only its layer and its tiles', async () => {
      const a = await add({ name: 'Buurthuis A' }, LELYSTAD)
      await add({ name: 'Buurthuis B' }, ALMERE)
      const version = async (layer: string, query = '') => {
        const res = await call(ctx().anon, 'GET', `/tiles/${layer}.json${query ? `?${query}` : ''}`)
        expect(res.status, res.text).toBe(200)
        return { v: res.json.data_version as string, etag: res.headers.get('etag') as string }
      }
      const ta = tileAt(...LELYSTAD, 14).t
      const tb = tileAt(...ALMERE, 14).t
      const assets1 = await version('assets')
      const areas1 = await version('areas', 'level=wijk')
      const cells1 = await version('cells', 'metric=population')
      const a1 = await getTile(ctx().anon, url('assets', ta, `v=${assets1.v}`))
      const b1 = await getTile(ctx().anon, url('assets', tb, `v=${assets1.v}`))
      expect(a1.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      const etagA = a1.headers.get('etag') as string
      const etagB = b1.headers.get('etag') as string
      expect(etagA).toMatch(/^"[\w-]{27}"$/)
      expect(etagA).not.toBe(etagB)
      // Without v (or with an old one) the tile must be revalidated.
      const plain = await getTile(ctx().anon, url('assets', ta))
      expect(plain.headers.get('cache-control')).toBe('public, no-cache')
      expect(plain.headers.get('etag')).toBe(etagA)
      const same = await getTile(ctx().anon, url('assets', ta), { 'if-none-match': etagA })
      expect(same.status).toBe(304)
      expect(same.bytes.byteLength).toBe(0)
      expect(same.headers.get('etag')).toBe(etagA)

      const patch = await call(
        ctx().app,
        'PATCH',
        `/api/assets/${a.id}`,
        { properties: { name: 'Buurthuis A (nieuw)' } },
        { 'if-match': '"v1"' },
      )
      expect(patch.status, patch.text).toBe(200)

      const assets2 = await version('assets')
      expect(assets2.v).not.toBe(assets1.v)
      // Areas and the population metric do not depend on assets: same version, same TileJSON.
      expect(await version('areas', 'level=wijk')).toEqual(areas1)
      expect(await version('cells', 'metric=population')).toEqual(cells1)
      const unchanged = await call(ctx().anon, 'GET', '/tiles/areas.json?level=wijk', undefined, {
        'if-none-match': areas1.etag,
      })
      expect(unchanged.status).toBe(304)
      // The untouched tile keeps its ETag at the new version; the edited one does not.
      const b2 = await getTile(ctx().anon, url('assets', tb, `v=${assets2.v}`), {
        'if-none-match': etagB,
      })
      expect(b2.status).toBe(304)
      expect(b2.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      const a2 = await getTile(ctx().anon, url('assets', ta, `v=${assets2.v}`), {
        'if-none-match': etagA,
      })
      expect(a2.status).toBe(200)
      expect(a2.headers.get('etag')).not.toBe(etagA)
      expect(decodeLayer(a2.bytes, 'assets')[0]?.props['name']).toBe('Buurthuis A (nieuw)')
      const stale = await getTile(ctx().anon, url('assets', ta), { 'if-none-match': etagA })
      expect(stale.status).toBe(200)
    })

    it('needs a signed-in user on a private map, and marks the tiles private', async () => {
      const { t } = tileAt(...LELYSTAD, 14)
      await add({ name: 'Buurthuis' }, LELYSTAD)
      const set = async (publicMap: boolean) =>
        expect(
          (await call(ctx().app, 'PATCH', '/api/settings', { public_map: publicMap })).status,
        ).toBe(200)
      await set(false)
      try {
        for (const path of [
          url('assets', t),
          '/tiles/assets.json',
          url('areas', t),
          url('cells', t, 'metric=population'),
        ]) {
          const res = await call(ctx().anon, 'GET', path)
          expect(res.status, path).toBe(401)
          expect(res.headers.get('content-type')).toContain('application/problem+json')
        }
        const json = await call(ctx().app, 'GET', '/tiles/assets.json')
        expect(json.status).toBe(200)
        expect(json.headers.get('cache-control')).toBe('private, no-cache')
        const v = json.json.data_version as string
        const tile = await getTile(ctx().app, url('assets', t, `v=${v}`))
        expect(tile.status).toBe(200)
        expect(tile.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
        expect(decodeLayer(tile.bytes, 'assets')).toHaveLength(1)
        const viewer = await ctx().as('contributor')
        expect((await getTile(viewer, url('assets', t))).headers.get('cache-control')).toBe(
          'private, no-cache',
        )
      } finally {
        await set(true)
      }
    })

    it('over HTTP, answers every repeated versioned tile through the app, never to a visitor on a private map', async () => {
      const { t } = tileAt(...LELYSTAD, 14)
      await add({ name: 'Buurthuis' }, LELYSTAD)
      // As in production: settings known for a while (the test apps read them on every request),
      // served by listen() as api/server.ts does, through a proxy that says HTTPS.
      const logged: string[] = []
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        config: { ...TEST_CONFIG, settingsCacheMs: 60_000, trustProxy: true },
        clock: ctx().clock,
        log: {
          info: (message, fields) => {
            if (message === 'request')
              logged.push(`${String(fields?.['status'])} ${String(fields?.['path'])}`)
          },
          error: () => {},
        },
      })
      const server = await new Promise<Server>((resolve) => {
        const s = listen(app, { port: 0, hostname: '127.0.0.1' }, () => resolve(s))
      })
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const get = async (path: string, headers: Record<string, string> = {}) => {
        const res = await fetch(base + path, {
          headers: { 'accept-encoding': 'gzip', 'x-forwarded-proto': 'https', ...headers },
        })
        const bytes = await res.arrayBuffer()
        return { status: res.status, headers: res.headers, bytes }
      }
      // The app's access log has a line for the request just made.
      const tilePath = url('assets', t)
      const loggedLast = () => logged.at(-1)
      try {
        const v = (await (await fetch(`${base}/tiles/assets.json`)).json()).data_version as string
        const path = url('assets', t, `v=${v}`)
        const first = await get(path)
        expect(loggedLast()).toBe(`200 ${tilePath}`)
        const again = await get(path)
        expect(logged).toHaveLength(3)
        expect(loggedLast()).toBe(`200 ${tilePath}`)
        expect(again.status).toBe(200)
        expect(Buffer.from(again.bytes)).toEqual(Buffer.from(first.bytes))
        for (const header of [
          'etag',
          'cache-control',
          'content-type',
          'content-encoding',
          'content-length',
          'vary',
          'strict-transport-security',
          'x-content-type-options',
        ])
          expect(again.headers.get(header), header).toBe(first.headers.get(header))
        expect(again.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
        expect(decodeLayer(again.bytes, 'assets').map((f) => f.props.name)).toEqual(['Buurthuis'])
        const etag = first.headers.get('etag') as string
        const notModified = await get(path, { 'if-none-match': etag })
        expect(loggedLast()).toBe(`304 ${tilePath}`)
        expect(notModified.status).toBe(304)
        expect(notModified.headers.get('etag')).toBe(etag)
        expect(notModified.headers.get('cache-control')).toBe(first.headers.get('cache-control'))
        expect(notModified.headers.get('strict-transport-security')).toBeTruthy()
        expect((await get(path, { 'accept-encoding': 'identity' })).status).toBe(200)
        expect(loggedLast()).toBe(`200 ${tilePath}`)
        // Once the map is private a visitor gets nothing, however often the tile was asked for.
        const token = await ctx().token('admin')
        const patch = await fetch(`${base}/api/settings`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ public_map: false }),
        })
        expect(patch.status).toBe(200)
        expect((await get(path)).status).toBe(401)
        expect(loggedLast()).toBe(`401 ${tilePath}`)
        expect((await get(path, { 'if-none-match': etag })).status).toBe(401)
        expect(loggedLast()).toBe(`401 ${tilePath}`)
      } finally {
        await call(ctx().app, 'PATCH', '/api/settings', { public_map: true })
        await new Promise((resolve) => server.close(resolve))
      }
    })

    it('sends tiles gzipped to clients that take it, with their own ETag', async () => {
      for (let i = 0; i < 20; i++)
        await add({ name: `Buurthuis ${i}` }, [LELYSTAD[0] + i * 0.0005, LELYSTAD[1]])
      const path = url('assets', tileAt(...LELYSTAD, 14).t)
      const plain = await getTile(ctx().anon, path)
      expect(plain.headers.get('content-encoding')).toBeNull()
      expect(plain.headers.get('vary')).toBe('Accept-Encoding')
      const zipped = await getTile(ctx().anon, path, { 'accept-encoding': 'gzip, deflate, br' })
      expect(zipped.headers.get('content-encoding')).toBe('gzip')
      expect(zipped.bytes.byteLength).toBeLessThan(plain.bytes.byteLength)
      expect(Buffer.from(gunzipSync(Buffer.from(zipped.bytes)))).toEqual(Buffer.from(plain.bytes))
      const etag = zipped.headers.get('etag') as string
      expect(etag).toBe((plain.headers.get('etag') as string).replace(/"$/, '-gz"'))
      const again = await getTile(ctx().anon, path, {
        'accept-encoding': 'gzip',
        'if-none-match': etag,
      })
      expect(again.status).toBe(304)
      const refused = await getTile(ctx().anon, path, { 'accept-encoding': 'gzip;q=0' })
      expect(refused.headers.get('content-encoding')).toBeNull()
    })

    it('serves a repeated tile of a known version from memory, without the database', async () => {
      await add({ name: 'Buurthuis' }, LELYSTAD)
      let queries = 0
      const counting = ctx().handle.db.withPlugin({
        transformQuery: (args) => args.node,
        transformResult: (args) => {
          queries++
          return Promise.resolve(args.result)
        },
      })
      const make = (cacheBytes?: number) =>
        createTiles({
          db: counting,
          backend: ctx().backend,
          analysis: createAnalysis({
            db: counting,
            clock: systemClock,
            methods: { line: straightLine() },
            regionName: 'Flevoland',
            compute: inlineCompute(),
          }),
          cacheBytes,
        })
      const tiles = make()
      const spec = (TILE_SOURCES.get('assets') as TileSource).read({}, systemClock).request
      const { t } = tileAt(...LELYSTAD, 14)
      const v = await tiles.currentVersion(spec)
      queries = 0
      const first = await tiles.tile(spec, t, v)
      expect(decodeLayer(first.bytes.slice().buffer, 'assets')).toHaveLength(1)
      expect(queries).toBeGreaterThan(0)
      queries = 0
      expect(await tiles.tile(spec, t, v)).toBe(first)
      expect(queries).toBe(0)
      // Without a version: one small query for it, and the same tile from memory.
      expect(await tiles.tile(spec, t)).toBe(first)
      expect(queries).toBe(1)
      // With no room in memory every request makes the tile again.
      const uncached = make(0)
      await uncached.tile(spec, t, v)
      queries = 0
      await uncached.tile(spec, t, v)
      expect(queries).toBeGreaterThan(0)
    })

    it('answers bad tiles and parameters with problem+json 400 or 404', async () => {
      const cases: [string, number, string?][] = [
        ['/tiles/roads/1/1/1.mvt', 404],
        ['/tiles/roads.json', 404],
        ['/tiles/assets.xml', 404],
        ['/tiles/assets/17/1/1.mvt', 400, 'z'],
        ['/tiles/areas/15/1/1.mvt', 400, 'z'],
        ['/tiles/assets/-1/0/0.mvt', 400, 'z'],
        ['/tiles/assets/1.5/0/0.mvt', 400, 'z'],
        ['/tiles/assets/99999999999/0/0.mvt', 400, 'z'],
        ['/tiles/assets/2/4/1.mvt', 400, 'x'],
        ['/tiles/assets/2/1/4.mvt', 400, 'y'],
        ['/tiles/assets/2/a/1.mvt', 400, 'x'],
        ['/tiles/assets/2/1/1.png', 400, 'y'],
        ['/tiles/assets/2/1/1', 400, 'y'],
        ['/tiles/assets/2/1/1e0.mvt', 400, 'y'],
        ['/tiles/assets/14/8410/5385.mvt?kind=spaceship', 400, 'kind'],
        ['/tiles/assets/14/8410/5385.mvt?bbox=1,2,3', 400, 'bbox'],
        ['/tiles/assets/14/8410/5385.mvt?colour=red', 400],
        ['/tiles/assets/14/8410/5385.mvt?v=latest', 400, 'v'],
        ['/tiles/areas/14/8410/5385.mvt?level=county', 400, 'level'],
        ['/tiles/cells/14/8410/5385.mvt', 400, 'metric'],
        ['/tiles/cells/14/8410/5385.mvt?metric=rainfall', 400, 'metric'],
        ['/tiles/cells/14/8410/5385.mvt?metric=population&res=6', 400, 'res'],
        ['/tiles/cells/14/8410/5385.mvt?metric=detour', 400, 'mode'],
        ['/tiles/cells/14/8410/5385.mvt?metric=distance&threshold=5', 400, 'threshold'],
        ['/tiles/cells/14/8410/5385.mvt?metric=distance&openAt=tomorrow', 400, 'openAt'],
        ['/tiles/cells.json?metric=rainfall', 400, 'metric'],
      ]
      for (const [path, status, pointer] of cases) {
        const res = await call(ctx().anon, 'GET', path)
        expect(res.status, path).toBe(status)
        expect(res.headers.get('content-type'), path).toContain('application/problem+json')
        expect(res.json.detail, path).toBeTruthy()
        if (pointer)
          expect(
            res.json.errors?.map((e: { pointer: string }) => e.pointer),
            path,
          ).toContain(pointer)
      }
    })

    it.runIf(needsSharedData())(
      'draws the areas of a level with their code, name and inhabitants',
      async () => {
        const lelystad = await call(ctx().anon, 'GET', '/api/areas/GM0995')
        const { t } = tileAt(...LELYSTAD, 5)
        const res = await getTile(ctx().anon, url('areas', t))
        const features = decodeLayer(res.bytes, 'areas')
        const found = features.find((f) => f.props['code'] === 'GM0995')
        expect(found?.props).toEqual({
          code: 'GM0995',
          name: 'Lelystad',
          inhabitants: lelystad.json.properties.inhabitants,
        })
        expect(found?.type).toBe(3)
        // At z5 Lelystad lies inside one tile: its outline spans what its GeoJSON spans, and
        // encloses the same area, within a tile unit or so.
        const polygons = lelystad.json.geometry.coordinates as [number, number][][][]
        const box = tileBox(t)
        const unit = unitSize(t.z)
        const project = ([lon, lat]: [number, number]): [number, number] => {
          const [mx, my] = lonLatToMercator(lon, lat)
          return [(mx - box.minX) / unit, (box.maxY - my) / unit]
        }
        const projected = polygons.map((rings) => rings.map((ring) => ring.map(project)))
        const all = projected.flat(2)
        expect(all.every(([x, y]) => x > 0 && x < EXTENT && y > 0 && y < EXTENT)).toBe(true)
        const rings = (found?.geometry ?? []).map((ring) =>
          ring.map((p): [number, number] => [p.x, p.y]),
        )
        const span = (points: [number, number][], axis: 0 | 1) => [
          Math.min(...points.map((p) => p[axis])),
          Math.max(...points.map((p) => p[axis])),
        ]
        for (const axis of [0, 1] as const) {
          const [lo, hi] = span(rings.flat(), axis)
          const [elo, ehi] = span(all, axis)
          expect(Math.abs((lo as number) - (elo as number))).toBeLessThanOrEqual(1.5)
          expect(Math.abs((hi as number) - (ehi as number))).toBeLessThanOrEqual(1.5)
        }
        // MVT winding: exterior rings positive, holes negative; the first ring is an exterior.
        expect(ringArea(rings[0] ?? [])).toBeGreaterThan(0)
        const drawn = rings.reduce((sum, ring) => sum + ringArea(ring), 0)
        const expected = projected.reduce(
          (sum, polygon) =>
            polygon.reduce(
              (s2, ring, k) => s2 + (k === 0 ? 1 : -1) * Math.abs(ringArea(ring)),
              sum,
            ),
          0,
        )
        expect(Math.abs(drawn - expected) / expected).toBeLessThan(0.03)
        // Another level; a level without areas gives an empty tile.
        const wijken = decodeLayer(
          (await getTile(ctx().anon, url('areas', tileAt(...LELYSTAD, 10).t, 'level=wijk'))).bytes,
          'areas',
        )
        expect(wijken.length).toBeGreaterThan(5)
        expect(wijken.every((f) => String(f.props['code']).startsWith('WK'))).toBe(true)
        const none = await getTile(ctx().anon, url('areas', t, 'level=pc4'))
        expect(none.status).toBe(200)
        expect(none.bytes.byteLength).toBe(0)
      },
    )

    it.runIf(needsSharedData())('gives hexagon cells the values of GET /api/hexes', async () => {
      for (const [i, p] of [LELYSTAD, ALMERE, [5.5, 52.6] as [number, number]].entries())
        await add({ name: `Plek ${i}` }, p)
      for (const [z, metric, query, res] of [
        [10, 'distance', 'metric=distance', 9],
        [8, 'population', 'metric=population', 7],
        [11, 'gap', 'metric=gap&threshold=1200', 9],
        [12, 'density', 'metric=density&meetingPlacesOnly=false', 10],
        [11, 'distance', 'metric=distance&res=8', 8],
      ] as const) {
        const { t } = tileAt(...LELYSTAD, z)
        const hexes = await call(
          ctx().anon,
          'GET',
          `/api/hexes?${query.replace(/&res=\d+/, '')}&res=${res}`,
        )
        expect(hexes.status, hexes.text).toBe(200)
        const byCell = new Map<string, number>((hexes.json.cells as string[]).map((c, i) => [c, i]))
        const tile = await getTile(ctx().anon, url('cells', t, query))
        expect(tile.status).toBe(200)
        const features = decodeLayer(tile.bytes, 'cells')
        expect(features.length, metric).toBeGreaterThan(0)
        for (const f of features) {
          const i = byCell.get(f.props['cell'] as string)
          expect(i, `${metric} ${String(f.props['cell'])}`).toBeDefined()
          expect(f.props['res']).toBe(res)
          const value = (key: string) =>
            (hexes.json[key] as (number | null)[] | undefined)?.[i as number] ?? undefined
          for (const key of ['inhabitants', 'distanceM', 'severity', 'total', 'meetingPlaces'])
            expect(f.props[key], `${metric} ${key}`).toEqual(value(key))
          expect(f.type).toBe(3)
        }
        // Every cell whose centre lies well inside the tile is in it.
        const inside = (hexes.json.cells as string[]).filter((c) => {
          const [lat, lon] = cellToLatLng(c)
          const at = tileAt(lon, lat, z)
          return (
            at.t.x === t.x &&
            at.t.y === t.y &&
            at.px > 200 &&
            at.px < EXTENT - 200 &&
            at.py > 200 &&
            at.py < EXTENT - 200
          )
        })
        const drawn = new Set(features.map((f) => f.props['cell']))
        expect(inside.length, metric).toBeGreaterThan(0)
        expect(
          inside.filter((c) => !drawn.has(c)),
          metric,
        ).toEqual([])
      }
    })
  },
  {
    reset: 'assets',
    areas: realAreasIfShared('gemeenten+wijken'),
  },
)

/** The same places on every backend: deterministic ids, positions, kinds and dates. */
async function samePlaces(db: Database, count: number) {
  await sql`insert into assets (id, name, kind, is_meeting_place, geom, wheelchair, status,
      location_precision, source, created_at, created_by, updated_at, updated_by, version)
    select md5('plek' || i)::uuid, 'Plek ' || i,
      (array['community_centre', 'library', 'sports', 'place_of_worship'])[1 + i % 4],
      i % 3 <> 0,
      ST_SetSRID(ST_MakePoint(5.15 + 0.75 * ((i * 7919) % 1000) / 1000.0,
        52.3 + 0.55 * ((i * 104729) % 997) / 997.0), 4326),
      'unknown', (array['active', 'active', 'planned', 'closed'])[1 + i % 4], 'exact', 'import',
      timestamptz '2026-11-01 12:00:00+00', 'test', timestamptz '2026-11-01 12:00:00+00', 'test', 1
    from generate_series(1, ${count}::int) i`.execute(db)
}

/** Distance from point p to the segment a–b, in tile units. */
function segmentDistance(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len = dx * dx + dy * dy
  const t =
    len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len))
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
}

/** Features as comparable records: properties, and points in order. */
const comparable = (features: Decoded[]) =>
  features
    .map((f) => ({
      props: JSON.stringify(Object.entries(f.props).sort()),
      points: f.geometry.flat(),
    }))
    .sort((a, b) =>
      a.props < b.props
        ? -1
        : a.props > b.props
          ? 1
          : (a.points[0]?.x ?? 0) - (b.points[0]?.x ?? 0) ||
            (a.points[0]?.y ?? 0) - (b.points[0]?.y ?? 0),
    )

describe.runIf(backends().includes('postgresql'))(
  'the same tiles from PostgreSQL (ST_AsMVT) and PGlite (TypeScript encoder)',
  () => {
    const apps = new Map<'pglite' | 'postgresql', App>()
    const disposers: (() => Promise<void>)[] = []
    beforeAll(async () => {
      for (const backend of ['pglite', 'postgresql'] as const) {
        // The real gemeenten and wijken come from the run's template, loaded once.
        const opened = await openTestDatabase(backend, {
          areas: realAreasIfShared('gemeenten+wijken'),
        })
        disposers.push(opened.dispose)
        const clock = steppingClock()
        const app = createApp({ db: opened.handle.db, backend, config: TEST_CONFIG, clock })
        const accounts = testAccounts(opened.handle, clock)
        apps.set(
          backend,
          withToken(app, () => accounts.token('admin')),
        )
        await samePlaces(opened.handle.db, 3000)
      }
    }, 600_000)
    afterAll(async () => {
      for (const dispose of disposers) await dispose()
    })

    const both = async (path: string) => {
      const out: ArrayBuffer[] = []
      for (const backend of ['pglite', 'postgresql'] as const) {
        const res = await getTile(apps.get(backend) as App, path)
        expect(res.status, `${backend} ${path}`).toBe(200)
        out.push(res.bytes)
      }
      return out as [ArrayBuffer, ArrayBuffer]
    }

    it('finds the same assets and clusters at the same places', async () => {
      let compared = 0
      for (const z of [6, 9, 11, 12, 13, 14, 16]) {
        for (const at of [LELYSTAD, ALMERE, [5.6, 52.7] as [number, number]]) {
          for (const query of ['', 'kind=library,place_of_worship&status=active', 'q=plek 1']) {
            const path = url('assets', tileAt(...at, z).t, query)
            const [lite, pg] = (await both(path)).map((bytes) =>
              comparable(decodeLayer(bytes, 'assets')),
            )
            expect(lite?.length, path).toBe(pg?.length)
            lite?.forEach((f, i) => {
              const g = pg?.[i]
              expect(f.props, path).toBe(g?.props)
              f.points.forEach((p, k) => {
                expect(Math.abs(p.x - (g?.points[k]?.x ?? NaN)), path).toBeLessThanOrEqual(1)
                expect(Math.abs(p.y - (g?.points[k]?.y ?? NaN)), path).toBeLessThanOrEqual(1)
              })
            })
            compared += lite?.length ?? 0
          }
        }
      }
      expect(compared).toBeGreaterThan(500)
    })

    it.runIf(needsSharedData())('finds the same areas with the same outlines', async () => {
      let compared = 0
      const deviations: number[] = []
      for (const [z, level] of [
        [7, 'gemeente'],
        [9, 'gemeente'],
        [11, 'wijk'],
        [13, 'wijk'],
      ] as const) {
        for (const at of [LELYSTAD, ALMERE]) {
          const path = url('areas', tileAt(...at, z).t, `level=${level}`)
          const [lite, pg] = (await both(path)).map((bytes) => decodeLayer(bytes, 'areas'))
          const byCode = (list: Decoded[] | undefined) =>
            new Map(list?.map((f) => [f.props['code'], f]))
          const a = byCode(lite)
          const b = byCode(pg)
          expect([...a.keys()].sort(), path).toEqual([...b.keys()].sort())
          for (const [code, f] of a) {
            const g = b.get(code) as Decoded
            expect(f.props, path).toEqual(g.props)
            const rings = (d: Decoded) =>
              d.geometry.map((r) => r.map((p): [number, number] => [p.x, p.y]))
            const area = (d: Decoded) => rings(d).reduce((sum, r) => sum + ringArea(r), 0)
            // How far each vertex inside the tile lies from the other outline. Both repair
            // slivers narrower than a unit (wagyu on PostgreSQL, ST_MakeValid on PGlite), each
            // in its own way, so a few vertices there may differ by a little more.
            const distances = (from: Decoded, to: Decoded) =>
              rings(from)
                .flat()
                .filter(([x, y]) => x >= 0 && x <= EXTENT && y >= 0 && y <= EXTENT)
                .map((p) =>
                  Math.min(
                    ...rings(to).flatMap((r) =>
                      r.map((a, k) =>
                        segmentDistance(p, a, r[(k + 1) % r.length] as [number, number]),
                      ),
                    ),
                  ),
                )
            for (const d of [distances(f, g), distances(g, f)]) {
              deviations.push(...d)
              expect(Math.max(0, ...d), `${path} ${String(code)}`).toBeLessThanOrEqual(6)
            }
            expect(Math.abs(area(f) - area(g)), `${path} ${String(code)}`).toBeLessThanOrEqual(
              0.02 * Math.abs(area(g)) + 50,
            )
            compared++
          }
        }
      }
      expect(compared).toBeGreaterThan(20)
      const close = deviations.filter((d) => d <= 1.5).length
      expect(close / deviations.length).toBeGreaterThan(0.99)
    })

    it.runIf(needsSharedData())('encodes hexagon metrics the same way on both', async () => {
      const path = url('cells', tileAt(...LELYSTAD, 10).t, 'metric=distance')
      const [lite, pg] = (await both(path)).map((bytes) => comparable(decodeLayer(bytes, 'cells')))
      expect(lite?.length).toBeGreaterThan(50)
      expect(lite).toEqual(pg)
    })
  },
)
