import proj4 from 'proj4'
import { expect, it } from 'vitest'
import { assetBody, call, describeBackends, type TestContext } from '../helpers/backends.js'
import { loadSyntheticDelftAreas, NL } from '../helpers/osm.js'

const OGC = '/api/v1/ogc'
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const RD = 'http://www.opengis.net/def/crs/EPSG/0/28992'
const ETRS89 = 'http://www.opengis.net/def/crs/EPSG/0/4258'

// RD New as EPSG defines it with the 7-parameter shift to WGS 84 (a second, independent route).
proj4.defs(
  'EPSG:28992',
  '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.2369,50.0087,465.658,-0.406857,0.350733,-1.87035,4.0812 +units=m +no_defs',
)

/** Three places in the synthetic Delft areas: two active buurthuizen and a planned café. */
async function addPlaces(ctx: TestContext) {
  const made = []
  for (const [props, at] of [
    [{ name: 'Buurthuis Oost', contact_email: 'geheim@example.nl' }, [4.378, 52.0]],
    [{ name: 'Buurthuis West' }, [4.362, 51.999]],
    [{ name: 'Café <Plein>', kind: 'cafe', status: 'planned' }, [4.37, 52.002]],
  ] as const) {
    const res = await call(ctx.app, 'POST', '/api/v1/assets', assetBody(props, [...at]))
    expect(res.status, res.text).toBe(201)
    made.push(res.json as { id: string })
  }
  return made
}

const links = (body: { links: { rel: string; type: string; href: string }[] }, rel: string) =>
  body.links.filter((l) => l.rel === rel)

describeBackends(
  'OGC API Features',
  (ctx) => {
    it('has a landing page with the links the standard asks for, in JSON and HTML', async () => {
      const res = await call(ctx().anon, 'GET', OGC)
      expect(res.status).toBe(200)
      expect(res.headers.get('api-version')).toBe('1.0.0')
      for (const rel of ['self', 'alternate', 'service-desc', 'conformance', 'data']) {
        expect(links(res.json, rel).length, rel).toBeGreaterThan(0)
      }
      expect(links(res.json, 'service-desc')[0]?.href).toMatch(
        /^http:\/\/[^/]+\/api\/v1\/openapi\.json$/,
      )
      const page = await call(ctx().anon, 'GET', `${OGC}?f=html`)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      expect(page.text).toContain('/api/v1/ogc/collections?f=html')
    })

    it('declares Core, GeoJSON, HTML and CRS conformance', async () => {
      const res = await call(ctx().anon, 'GET', `${OGC}/conformance`)
      expect(res.json.conformsTo).toEqual(
        expect.arrayContaining([
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
          'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
        ]),
      )
    })

    it('lists places, the loaded area levels and the gap areas, each with its CRSs', async () => {
      const res = await call(ctx().anon, 'GET', `${OGC}/collections`)
      expect(res.status).toBe(200)
      const ids = (res.json.collections as { id: string }[]).map((c) => c.id)
      expect(ids).toEqual(['places', 'gemeenten', 'wijken', 'gap-areas'])
      for (const c of res.json.collections) {
        expect(c.crs).toEqual([CRS84, RD, ETRS89])
        expect(c.storageCrs).toBe(CRS84)
        expect(links(c, 'items').map((l) => l.type)).toEqual(['application/geo+json', 'text/html'])
      }
      const wijken = await call(ctx().anon, 'GET', `${OGC}/collections/wijken`)
      expect(wijken.json.description).toContain('threshold 800 m')
      expect(wijken.json.extent.spatial.bbox[0]).toHaveLength(4)
      expect((await call(ctx().anon, 'GET', `${OGC}/collections/buurten`)).status).toBe(404)
    })

    it('pages places with limit, numberMatched, next and prev, in CRS84 by default', async () => {
      await addPlaces(ctx())
      const first = await call(ctx().anon, 'GET', `${OGC}/collections/places/items?limit=2`)
      expect(first.status).toBe(200)
      expect(first.headers.get('content-type')).toMatch(/^application\/geo\+json/)
      expect(first.headers.get('content-crs')).toBe(`<${CRS84}>`)
      expect(first.json.numberMatched).toBe(3)
      expect(first.json.numberReturned).toBe(2)
      expect(links(first.json, 'prev')).toEqual([])
      const next = links(first.json, 'next').find((l) => l.type === 'application/geo+json')
      const second = await call(ctx().anon, 'GET', next?.href ?? '')
      expect(second.json.numberReturned).toBe(1)
      expect(links(second.json, 'next')).toEqual([])
      expect(links(second.json, 'prev').length).toBe(2)
      const ids = [...first.json.features, ...second.json.features].map((f: { id: string }) => f.id)
      expect(new Set(ids).size).toBe(3)
      const over = await call(ctx().anon, 'GET', `${OGC}/collections/places/items?limit=1001`)
      expect(over.status).toBe(400)
      expect(over.json.errors[0].pointer).toBe('limit')
    })

    it('never shows contact details, not even to an administrator', async () => {
      await addPlaces(ctx())
      for (const app of [ctx().anon, ctx().app]) {
        const res = await call(app, 'GET', `${OGC}/collections/places/items?limit=10`)
        expect(res.text).not.toContain('geheim@example.nl')
        for (const f of res.json.features) {
          expect(Object.keys(f.properties)).not.toContain('contact_email')
          expect(Object.keys(f.properties)).not.toContain('created_by')
        }
      }
    })

    it('answers in RD New and ETRS89 (latitude first), reprojected by PostGIS', async () => {
      const [oost] = await addPlaces(ctx())
      const item = (crs: string) =>
        call(ctx().anon, 'GET', `${OGC}/collections/places/items/${oost?.id}?crs=${crs}`)
      const rd = await item(RD)
      expect(rd.headers.get('content-crs')).toBe(`<${RD}>`)
      const [x, y] = rd.json.geometry.coordinates as [number, number]
      const [ex, ey] = proj4('EPSG:4326', 'EPSG:28992', [4.378, 52.0])
      expect(Math.abs(x - ex)).toBeLessThan(0.01)
      expect(Math.abs(y - ey)).toBeLessThan(0.01)
      const etrs = await item(ETRS89)
      expect(etrs.headers.get('content-crs')).toBe(`<${ETRS89}>`)
      expect(etrs.json.geometry.coordinates).toEqual([52.0, 4.378])
    })

    it('selects by bbox in any offered CRS, and by kind, status, gemeente and last change', async () => {
      await addPlaces(ctx())
      const names = async (query: string) => {
        const res = await call(ctx().anon, 'GET', `${OGC}/collections/places/items?${query}`)
        expect(res.status, res.text).toBe(200)
        return (res.json.features as { properties: { name: string } }[])
          .map((f) => f.properties.name)
          .sort()
      }
      expect(await names('bbox=4.375,51.99,4.39,52.01')).toEqual(['Buurthuis Oost'])
      const [x, y] = proj4('EPSG:4326', 'EPSG:28992', [4.378, 52.0])
      const rdBox = [x - 50, y - 50, x + 50, y + 50].join(',')
      expect(await names(`bbox=${rdBox}&bbox-crs=${encodeURIComponent(RD)}`)).toEqual([
        'Buurthuis Oost',
      ])
      expect(
        await names(`bbox=51.99,4.375,52.01,4.39&bbox-crs=${encodeURIComponent(ETRS89)}`),
      ).toEqual(['Buurthuis Oost'])
      expect(await names('kind=cafe')).toEqual(['Café <Plein>'])
      expect(await names('status=active')).toEqual(['Buurthuis Oost', 'Buurthuis West'])
      expect(await names('gemeente=GM9901')).toHaveLength(3)
      expect(await names('gemeente=GM0034')).toEqual([])
      expect(await names('datetime=2000-01-01T00:00:00Z/..')).toHaveLength(3)
      expect(await names('datetime=../2000-01-01T00:00:00Z')).toEqual([])
    })

    it('refuses unknown and invalid parameters with a problem naming each', async () => {
      const problem = async (path: string, name: string) => {
        const res = await call(ctx().anon, 'GET', `${OGC}${path}`)
        expect(res.status, path).toBe(400)
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
        expect(res.headers.get('api-version')).toBe('1.0.0')
        expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual([name])
      }
      await problem('/collections/places/items?colour=red', 'colour')
      await problem('/collections/places/items?crs=EPSG:3857', 'crs')
      await problem('/collections/places/items?bbox=1,2,3', 'bbox')
      await problem(`/collections/places/items?bbox-crs=${encodeURIComponent(RD)}`, 'bbox-crs')
      await problem('/collections/places/items?datetime=yesterday', 'datetime')
      await problem('/collections/places/items?kind=castle', 'kind')
      await problem('/collections/wijken/items?datetime=2026-01-01T00:00:00Z', 'datetime')
      await problem('/collections?limit=5', 'limit')
      expect((await call(ctx().anon, 'GET', `${OGC}/collections/rivers`)).status).toBe(404)
      expect((await call(ctx().anon, 'GET', `${OGC}/collections/places/items/nope`)).status).toBe(
        404,
      )
    })

    it('gives areas their inhabitants and coverage figures, and the gap areas as polygons', async () => {
      await addPlaces(ctx())
      const wijken = await call(ctx().anon, 'GET', `${OGC}/collections/wijken/items`)
      expect(wijken.json.numberMatched).toBe(3)
      const west = wijken.json.features.find((f: { id: string }) => f.id === 'WK990101')
      expect(west.properties).toMatchObject({
        code: 'WK990101',
        inhabitants: 3000,
        mode: 'line',
        threshold_m: 800,
      })
      expect(west.properties.coverage_share).toBeGreaterThanOrEqual(0)
      expect(west.properties.coverage_share).toBeLessThanOrEqual(1)
      expect(west.geometry.type).toBe('MultiPolygon')
      const gaps = await call(ctx().anon, 'GET', `${OGC}/collections/gap-areas/items?limit=1000`)
      expect(gaps.status).toBe(200)
      expect(gaps.json.numberMatched).toBeGreaterThan(0)
      const [top] = gaps.json.features
      expect(top.properties.rank).toBe(1)
      expect(top.geometry.type).toBe('MultiPolygon')
      const one = await call(
        ctx().anon,
        'GET',
        `${OGC}/collections/gap-areas/items/${top.id}?crs=${encodeURIComponent(RD)}`,
      )
      expect(one.status).toBe(200)
      const [rx, ry] = one.json.geometry.coordinates[0][0][0] as [number, number]
      const [lon, lat] = top.geometry.coordinates[0][0][0] as [number, number]
      const [ex, ey] = proj4('EPSG:4326', 'EPSG:28992', [lon, lat])
      expect(Math.abs(rx - ex)).toBeLessThan(0.01)
      expect(Math.abs(ry - ey)).toBeLessThan(0.01)
    })

    it('writes HTML pages with everything escaped', async () => {
      await addPlaces(ctx())
      const res = await call(
        ctx().anon,
        'GET',
        `${OGC}/collections/places/items?kind=cafe`,
        undefined,
        {
          accept: 'text/html',
        },
      )
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(res.text).toContain('Café &lt;Plein&gt;')
      expect(res.text).not.toContain('<Plein>')
    })

    it('keeps a private map private: visitors get 401, signed-in readers the features', async () => {
      await addPlaces(ctx())
      await call(ctx().app, 'PATCH', '/api/v1/settings', { public_map: false })
      const anon = await call(ctx().anon, 'GET', `${OGC}/collections/places/items`)
      expect(anon.status).toBe(401)
      expect(anon.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect((await call(ctx().anon, 'GET', `${OGC}/collections`)).status).toBe(401)
      const reader = await ctx().as('contributor')
      expect(
        (await call(reader, 'GET', `${OGC}/collections/places/items`)).json.numberMatched,
      ).toBe(3)
    })

    it('answers 404, not a redirect, to a trailing slash', async () => {
      for (const path of [`${OGC}/`, `${OGC}/collections/`, '/api/v1/assets/']) {
        const res = await call(ctx().anon, 'GET', path)
        expect(res.status, path).toBe(404)
        expect(res.headers.get('location')).toBeNull()
      }
    })
  },
  {
    config: { regionBbox: NL, regionName: 'Nederland' },
    reset: 'assets',
    setup: (c) => loadSyntheticDelftAreas(c),
    beforeEachHook: async (c) => {
      await call(c.app, 'PATCH', '/api/v1/settings', { public_map: true })
    },
  },
)
