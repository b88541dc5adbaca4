import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import {
  EXTENT,
  lonLatToMercator,
  tileBox,
  tileRange,
  unitSize,
  type TileAddress,
} from '../../api/domain/tiles.js'
import type { App } from '../../api/http/app.js'
import { systemClock } from '../../api/services/assets.js'
import {
  assetBody,
  call,
  describeBackends,
  loadRealAreas,
  needsSharedData,
  TEST_CONFIG,
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
      expect(tiles[0]).toMatch(
        /^http:\/\/localhost\/tiles\/assets\/\{z\}\/\{x\}\/\{y\}\.mvt\?v=\d+&/,
      )
      const u = new URL(tiles[0] as string)
      expect(u.searchParams.get('v')).toMatch(/^\d+$/)
      expect(u.searchParams.get('kind')).toBe('community_centre,library')
      expect(u.searchParams.get('status')).toBe('active')
      expect(res.headers.get('cache-control')).toBe('public, no-cache')
      expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/)
    })
  },
  {
    reset: 'assets',
    setup: async (ctx) => {
      if (needsSharedData()) await loadRealAreas(ctx.handle, systemClock, ['gemeenten', 'wijken'])
    },
  },
)

export { sql }
