import { expect, it } from 'vitest'
import {
  assetBody,
  call,
  describeBackends,
  needsSharedData,
  realAreasIfShared,
} from '../helpers/backends.js'

/** Meeting places in and around Lelystad (fixed points). */
const PLACES: [number, number][] = [
  [5.4714, 52.5185],
  [5.43, 52.505],
  [5.5, 52.52],
  [5.45, 52.49],
]

describeBackends(
  'gap report on the real Flevoland areas',
  (ctx) => {
    it.runIf(needsSharedData())(
      'shows the same figures as /api/coverage, beside the province',
      async () => {
        const coverage = (
          await call(ctx().app, 'GET', '/api/coverage?area=GM0995&mode=line&gaps=25')
        ).json
        const province = (
          await call(ctx().app, 'GET', '/api/coverage?area=province&mode=line&gaps=0')
        ).json
        const json = await call(ctx().app, 'GET', '/reports/GM0995.json')
        expect(json.status, json.text).toBe(200)
        const r = json.json
        expect(r.area).toEqual({ code: 'GM0995', name: 'Lelystad', level: 'gemeente' })
        expect(r.primary).toBe('line') // no network loaded
        expect(r.figures.line.area.inhabitantsWithin).toBe(coverage.inhabitantsWithin)
        expect(r.figures.line.area.gaps).toEqual(coverage.gaps)
        expect(r.figures.line.province.share).toBe(province.share)
        // Absolute, and pinned to the data the figures were computed on.
        expect(r.permalink).toBe(
          `http://localhost/api/v1/reports/GM0995?res=10&thresholdLine=800&lang=nl&data=${coverage.inputs.dataVersion.data}&fp=${coverage.inputs.dataVersion.fingerprint}`,
        )
        expect(r.figures.line.area.gapAreas).toEqual(coverage.gapAreas)

        const html = await call(ctx().app, 'GET', '/reports/GM0995')
        expect(html.headers.get('content-type')).toMatch(/text\/html/)
        expect(html.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
        expect(html.text).toContain('<h1>Ontmoetingsplekken in Lelystad</h1>')
        const share = new Intl.NumberFormat('nl-NL', {
          minimumFractionDigits: 1,
          maximumFractionDigits: 1,
        }).format(coverage.share * 100)
        expect(html.text).toContain(`${share}% van de inwoners woont binnen 800 m hemelsbreed`)
        expect(html.text).not.toMatch(/<script>|<style>| style="|onclick=/) // the CSP allows none of these
        expect(html.text).toContain('<script src="/reports/report.js"></script>')
        expect(html.text).toContain('CBS Wijk- en Buurtkaart (CC BY 4.0)')
        expect(html.text).toContain(coverage.gapAreas[0].label.nl)
        // Printed links are absolute (here from the request: no public URL is configured, so
        // no shared cache may keep the page), with the permalink as a QR code.
        expect(html.text).toContain(`<a href="${r.permalink.replaceAll('&', '&amp;')}">`)
        expect(html.text).toMatch(
          /<svg class="qr" viewBox="0 0 \d+ \d+" role="img" aria-label="Scan/,
        )
        expect(html.headers.get('cache-control')).toBe('private, no-store')
        expect(html.text).toContain('<a href="/toegankelijkheid">Toegankelijkheid</a>')
        expect(html.headers.get('vary')).toMatch(/\bHost\b/)
        // The methods in Dutch only.
        expect(html.text).toContain('in een rechte lijn, in meters in het Rijksdriehoekstelsel')
        expect(html.text).not.toContain('straight line in RD New')
        const en = await call(ctx().app, 'GET', '/reports/GM0995?lang=en')
        expect(en.text).toContain('<h1>Meeting places in Lelystad</h1>')
        expect(en.text).toContain('in a straight line, in metres in the Dutch national grid')
        expect(en.text).not.toMatch(/hemelsbreed|inwoners|Rijksdriehoekstelsel/)

        const csv = await call(ctx().app, 'GET', '/reports/GM0995.csv')
        expect(csv.text).toContain(
          `figures,line,inhabitants_within,${coverage.inhabitantsWithin},${province.inhabitantsWithin},800`,
        )
        const geo = await call(ctx().app, 'GET', '/reports/GM0995.gaps.geojson')
        expect(geo.json.numberMatched).toBe(coverage.gapCount)
        expect(geo.json.features).toHaveLength(Math.min(coverage.gapCount, 1000))
        expect(geo.json.features[0].properties.cell).toBe(coverage.gaps[0].cell)
        expect(geo.json.features[0].geometry.type).toBe('Polygon')
        expect(
          (await call(ctx().app, 'GET', '/reports/report.css')).headers.get('content-type'),
        ).toMatch(/text\/css/)
      },
    )

    it.runIf(needsSharedData())(
      'includes a saved scenario: "+N inhabitants within 800 m"',
      async () => {
        const gap = (await call(ctx().app, 'GET', '/api/coverage?area=GM0995&mode=line&gaps=1'))
          .json.gaps[0]
        const saved = await call(ctx().app, 'POST', '/api/scenarios', {
          name: 'Huiskamer in de grootste gap',
          area: 'GM0995',
          mode: 'line',
          add: [{ lon: gap.lon, lat: gap.lat, kind: 'living_room', name: 'Huiskamer Zuid' }],
        })
        const coverage = (await call(ctx().app, 'GET', `/api/scenarios/${saved.json.id}/coverage`))
          .json
        expect(coverage.difference.inhabitantsWithin).toBeGreaterThan(0)
        const html = await call(ctx().app, 'GET', `/reports/GM0995?scenario=${saved.json.id}`)
        const n = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 }).format(
          coverage.difference.inhabitantsWithin,
        )
        expect(html.text).toContain(
          `Met de voorgestelde plek: ${n} inwoners erbij binnen 800 m hemelsbreed.`,
        )
        expect(html.text).toContain('Huiskamer Zuid')
        expect(
          (
            await call(
              ctx().app,
              'GET',
              '/reports/GM0995?scenario=00000000-0000-4000-8000-000000000000',
            )
          ).status,
        ).toBe(404)
      },
    )

    it.runIf(needsSharedData())(
      'reports the whole province, with every gemeente outlined',
      async () => {
        // A visitor asking for the finest hexagons gets the figures at that resolution, and a map
        // drawn coarser: at most MAX_MAP_CELLS hexagons, not tens of megabytes.
        const r = await call(ctx().anon, 'GET', '/reports/province.json?res=10')
        expect(r.status, r.text).toBe(200)
        expect(r.json.area).toEqual({ code: 'province', name: 'Flevoland', level: 'province' })
        expect(r.json.map.outlines).toHaveLength(6)
        expect(r.json.figures.line.area.inhabitants).toBe(r.json.figures.line.province.inhabitants)
        expect(r.json.resolution).toBe(10)
        expect(r.json.map.resolution).toBeLessThan(10)
        expect(r.json.map.cells.length).toBeLessThanOrEqual(4000)
        expect(r.text.length).toBeLessThan(3_000_000)

        // Every gap cell of the province at resolution 10, paged, most severe first.
        const first = await call(
          ctx().anon,
          'GET',
          '/reports/province.gaps.geojson?res=10&limit=100',
        )
        expect(first.status, first.text).toBe(200)
        expect(first.json.numberReturned).toBe(100)
        expect(first.json.numberMatched).toBeGreaterThan(100)
        const next = first.json.links.find((l: { rel: string }) => l.rel === 'next').href
        expect(next).toBe('/reports/province.gaps.geojson?res=10&limit=100&offset=100')
        const second = await call(ctx().anon, 'GET', next)
        expect(second.json.features[0].properties.rank).toBe(101)
        const ids = new Set(first.json.features.map((f: { id: string }) => f.id))
        expect(second.json.features.some((f: { id: string }) => ids.has(f.id))).toBe(false)
        expect(
          (await call(ctx().anon, 'GET', '/reports/province.gaps.geojson?limit=100000')).status,
        ).toBe(400)
        const html = await call(ctx().app, 'GET', '/reports/province?lang=en')
        expect(html.text).toContain('<h1>Meeting places in Flevoland</h1>')
      },
    )

    it('refuses unknown areas, files and parameters with a problem, and follows the public-map setting', async () => {
      expect((await call(ctx().app, 'GET', '/reports/GM9999')).status).toBe(404)
      expect((await call(ctx().app, 'GET', '/reports/..%2Fetc%2Fpasswd')).status).toBe(404)
      const bad = await call(ctx().app, 'GET', '/reports/GM0995?res=12')
      expect(bad.status).toBe(400)
      expect(bad.headers.get('content-type')).toMatch(/problem\+json/)
      await call(ctx().app, 'PATCH', '/api/settings', { public_map: false })
      expect((await call(ctx().anon, 'GET', '/reports/GM0995')).status).toBe(401)
      await call(ctx().app, 'PATCH', '/api/settings', { public_map: true })
    })
  },
  {
    reset: 'none',
    areas: realAreasIfShared('gemeenten+wijken'),
    setup: async (c) => {
      if (!needsSharedData()) return
      for (const [i, p] of PLACES.entries()) {
        await call(c.app, 'POST', '/api/assets', assetBody({ name: `Buurthuis ${i}` }, p))
      }
    },
  },
)
