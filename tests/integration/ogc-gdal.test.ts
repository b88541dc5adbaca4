import { execFile } from 'node:child_process'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { listen } from '../../api/http/listen.js'
import { assetBody, call, describeBackends } from '../helpers/backends.js'
import { loadSyntheticDelftAreas, NL } from '../helpers/osm.js'

/**
 * The OGC API Features service read by a client nobody here wrote: GDAL's OAPIF driver (Debian
 * gdal-bin, installed by .ci/run). ogrinfo lists the collections; ogr2ogr reads every feature of
 * each, a few at a time through the next links, in CRS84 and reprojected by PROJ to RD New, and
 * the coordinates must agree with the service's own GeoJSON (PostGIS's reprojection for RD New)
 * to the centimetre. GDAL 3.6 reads OGC API Features in CRS84 only (Part 2 came in GDAL 3.7), so
 * the RD New comparison checks two independent reprojections against each other.
 */

const run = promisify(execFile)
const RD = 'http://www.opengis.net/def/crs/EPSG/0/28992'

interface GeoJson {
  features: {
    id?: string
    geometry: { coordinates: unknown }
    properties: Record<string, unknown>
  }[]
}

/** Every number of a coordinate array, in order. */
const numbers = (coordinates: unknown): number[] =>
  Array.isArray(coordinates) ? coordinates.flatMap(numbers) : [coordinates as number]

/** Metres per degree of latitude, and of longitude at 52° N (for a CRS84 tolerance in metres). */
const M_PER_DEG = { lat: 111_250, lon: 68_700 }

async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
  const { stdout } = await run(tool, args, { maxBuffer: 64 * 1024 * 1024 })
  return stdout
}

describeBackends(
  'OGC API Features read by GDAL',
  (ctx) => {
    let server: Server | undefined
    let base = ''
    beforeAll(async () => {
      server = await new Promise<Server>((resolve) => {
        const s = listen(ctx().anon, { port: 0, hostname: '127.0.0.1' }, () => resolve(s))
      })
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve))
    })

    const service = () => `OAPIF:${base}/api/v1/ogc`

    /** The service's own answer for a collection: every feature, by id. */
    async function own(collection: string, crs?: string) {
      const query = `limit=1000${crs ? `&crs=${encodeURIComponent(crs)}` : ''}`
      const res = await call(
        ctx().anon,
        'GET',
        `/api/v1/ogc/collections/${collection}/items?${query}`,
      )
      expect(res.status, res.text).toBe(200)
      return new Map(
        (res.json as GeoJson).features.map((f) => [String(f.id), numbers(f.geometry.coordinates)]),
      )
    }

    /** What ogr2ogr reads of a collection (3 features per request: it follows the next links). */
    async function read(collection: string, srs?: string): Promise<Map<string, number[]>> {
      const out = await gdal('ogr2ogr', [
        '-f',
        'GeoJSON',
        ...(srs ? ['-t_srs', srs] : []),
        '-oo',
        'PAGE_SIZE=3',
        '/vsistdout/',
        service(),
        collection,
      ])
      const parsed = JSON.parse(out) as GeoJson
      return new Map(
        parsed.features.map((f) => [
          (f.properties.id as string | undefined) ?? String(f.id),
          numbers(f.geometry.coordinates),
        ]),
      )
    }

    async function collectionIds(): Promise<string[]> {
      const res = await call(ctx().anon, 'GET', '/api/v1/ogc/collections')
      return (res.json.collections as { id: string }[]).map((c) => c.id)
    }

    it('ogrinfo lists every collection', async () => {
      const out = await gdal('ogrinfo', ['-ro', '-q', service()])
      const listed = [...out.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1])
      expect(listed).toEqual(await collectionIds())
      expect(listed).toEqual(['places', 'gemeenten', 'wijken', 'gap-areas'])
    })

    it('ogr2ogr reads every feature in CRS84 as the service gives it, to the centimetre', async () => {
      for (const collection of await collectionIds()) {
        const expected = await own(collection)
        const got = await read(collection)
        expect(expected.size, collection).toBeGreaterThan(0)
        expect([...got.keys()].sort(), collection).toEqual([...expected.keys()].sort())
        for (const [id, numbersOwn] of expected) {
          const numbersGdal = got.get(id) ?? []
          expect(numbersGdal.length, `${collection} ${id}`).toBe(numbersOwn.length)
          numbersOwn.forEach((v, i) => {
            const metres =
              Math.abs(v - (numbersGdal[i] as number)) * (i % 2 ? M_PER_DEG.lat : M_PER_DEG.lon)
            expect(metres, `${collection} ${id} [${i}]`).toBeLessThan(0.01)
          })
        }
      }
    })

    it('ogr2ogr reprojected to EPSG:28992 agrees with the service’s own RD New answer to the centimetre', async () => {
      for (const collection of await collectionIds()) {
        const expected = await own(collection, RD)
        const got = await read(collection, 'EPSG:28992')
        expect([...got.keys()].sort(), collection).toEqual([...expected.keys()].sort())
        for (const [id, numbersOwn] of expected) {
          const numbersGdal = got.get(id) ?? []
          expect(numbersGdal.length, `${collection} ${id}`).toBe(numbersOwn.length)
          numbersOwn.forEach((v, i) => {
            expect(
              Math.abs(v - (numbersGdal[i] as number)),
              `${collection} ${id} [${i}]`,
            ).toBeLessThan(0.01)
          })
        }
      }
    })
  },
  {
    config: { regionBbox: NL, regionName: 'Nederland' },
    reset: 'none',
    setup: async (c) => {
      await loadSyntheticDelftAreas(c)
      // Seven places, so that reading 3 at a time follows two next links.
      const spots: [number, number][] = [
        [4.378, 52.0],
        [4.362, 51.999],
        [4.37, 52.002],
        [4.3755, 51.9981],
        [4.3601, 52.0032],
        [4.3823, 52.0011],
        [4.3688, 51.9973],
      ]
      for (const [i, at] of spots.entries()) {
        const res = await call(
          c.app,
          'POST',
          '/api/v1/assets',
          assetBody({ name: `Plek ${i}` }, at),
        )
        expect(res.status, res.text).toBe(201)
      }
    },
  },
)
