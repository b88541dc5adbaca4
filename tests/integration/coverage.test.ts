import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import {
  assetBody,
  call,
  describeBackends,
  needsSharedData,
  realAreasIfShared,
} from '../helpers/backends.js'

/** A reproducible spread of meeting places over Flevoland (LCG, fixed seed). */
function places(count: number, seed = 42): [number, number][] {
  let state = seed
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  return Array.from(
    { length: count },
    () => [5.15 + next() * 0.75, 52.3 + next() * 0.55] as [number, number],
  )
}

const WIJK_TOTAL = 434_715
/** The six gemeenten's own counts (2022) added up: what the province holds. */
const GEMEENTE_TOTAL = 434_771

/** Deep equality where numbers may differ by `tolerance`. */
function expectClose(actual: unknown, expected: unknown, tolerance: number, at = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), at).toBeLessThanOrEqual(tolerance)
  } else if (expected && typeof expected === 'object') {
    expect(typeof actual, at).toBe('object')
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual as object)])
    for (const k of keys)
      expectClose(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        tolerance,
        `${at}.${k}`,
      )
  } else {
    expect(actual, at).toEqual(expected)
  }
}

describeBackends(
  'gap analysis on the real Flevoland areas',
  (ctx) => {
    const addPlaces = async (points: [number, number][], props: Record<string, unknown> = {}) => {
      for (const [i, p] of points.entries()) {
        const res = await call(
          ctx().app,
          'POST',
          '/api/assets',
          assetBody({ name: `Plek ${i}`, ...props }, p),
        )
        expect(res.status, res.text).toBe(201)
      }
    }
    const coverage = async (query: string) => {
      const res = await call(ctx().app, 'GET', `/api/coverage?${query}`)
      expect(res.status, res.text).toBe(200)
      return res.json
    }

    it.runIf(needsSharedData())(
      'keeps every gemeente and wijk at its own CBS count, at every resolution',
      async () => {
        // The surface holds the wijk counts (its units), fractional, at every resolution.
        const perRes = await sql<{ res: number; total: number }>`
        select res, sum(inhabitants)::float8 as total from population_cells group by res order by res`.execute(
          ctx().handle.db,
        )
        expect(perRes.rows.map((r) => r.res)).toEqual([7, 8, 9, 10])
        for (const r of perRes.rows) expect(Number(r.total)).toBeCloseTo(WIJK_TOTAL, 4)
        const units = await sql<{ code: string; official: number; spread: number }>`
        select a.code, a.inhabitants as official, coalesce(sum(p.inhabitants), 0)::float8 as spread
        from areas a left join population_portions p on p.unit_code = a.code and p.res = 9
        where a.level = 'wijk' group by a.code, a.inhabitants`.execute(ctx().handle.db)
        expect(units.rows).toHaveLength(103)
        for (const u of units.rows) expect(Number(u.spread), u.code).toBeCloseTo(u.official, 6)
        // Every gemeente is its own count (not its wijken added up), at resolutions 10 and 7.
        const gemeenten = await sql<{ code: string; inhabitants: number }>`
        select code, inhabitants from areas where level = 'gemeente'`.execute(ctx().handle.db)
        for (const res of [10, 7]) {
          for (const g of gemeenten.rows) {
            const c = await coverage(`area=${g.code}&res=${res}`)
            expect(c.inhabitants, g.code).toBe(g.inhabitants)
            const bands = c.bands.reduce(
              (s: number, b: { inhabitants: number }) => s + b.inhabitants,
              0,
            )
            expect(bands, g.code).toBeCloseTo(g.inhabitants, 1)
          }
        }
        const province = await coverage('area=province')
        expect(province.inhabitants).toBe(GEMEENTE_TOTAL)
        expect(province.inputs.population).toMatchObject({
          units: 'wijk',
          year: 2022,
          inhabitants: WIJK_TOTAL,
        })
      },
    )

    it.runIf(needsSharedData())(
      'reports the figures with their inputs and a permalink that reproduces them',
      async () => {
        await addPlaces(places(60))
        const lelystad = await coverage('area=GM0995&mode=line&threshold=800')
        expect(lelystad.area).toEqual({ code: 'GM0995', name: 'Lelystad', level: 'gemeente' })
        expect(lelystad.inhabitants).toBeGreaterThan(75_000)
        expect(lelystad.share).toBeCloseTo(lelystad.inhabitantsWithin / lelystad.inhabitants, 5)
        expect(lelystad.inhabitants).toBe(81_214) // CBS 2022
        // Fractional inhabitants, each figure rounded to hundredths on its own.
        expect(
          lelystad.bands.reduce((s: number, b: { inhabitants: number }) => s + b.inhabitants, 0),
        ).toBeCloseTo(lelystad.inhabitants, 1)
        expect(lelystad.bands[0].inhabitants + lelystad.bands[1].inhabitants).toBeCloseTo(
          lelystad.inhabitantsWithin,
          1,
        )
        expect(lelystad.placesPer10k).toBeCloseTo(
          (lelystad.places * 10_000) / lelystad.inhabitants,
          2,
        )
        expect(lelystad.meanPlacesWithin['1km']).toBeLessThanOrEqual(
          lelystad.meanPlacesWithin['3km'],
        )
        expect(lelystad.gaps.length).toBeGreaterThan(0)
        const severities = lelystad.gaps.map((g: { severity: number }) => g.severity)
        expect(severities).toEqual([...severities].sort((a, b) => b - a))
        for (const gap of lelystad.gaps) {
          expect(gap.distanceM).toBeGreaterThan(800)
          expect(gap.wijk.code).toMatch(/^WK0995/)
          expect(gap.wijk.name).not.toBe(gap.wijk.code)
        }
        expect(lelystad.inputs).toMatchObject({
          resolution: 10,
          mode: 'line',
          thresholdM: 800,
          places: { counted: 60, filter: { meetingPlacesOnly: 'true', status: 'active' } },
          population: { units: 'wijk', year: 2022, sources: [{ year: 2022, areas: 103 }] },
        })
        expect(lelystad.inputs.dataVersion.fingerprint).toMatch(/^[0-9a-f]{16}$/)
        // The same figures on every backend: compared with a golden file (UPDATE=1 rewrites it).
        // Outlines are opened by each backend's own GEOS, so fractions may differ in the last
        // digits: numbers are compared to 0.05 (inhabitants to hundredths), the rest exactly.
        const { inputs: _i, gapAreas: _g, ...golden } = lelystad
        const fixture = path.join(
          import.meta.dirname,
          '..',
          'fixtures',
          'coverage-gm0995-60-places.json',
        )
        if (process.env.UPDATE === '1')
          fs.writeFileSync(fixture, JSON.stringify(golden, null, 2) + '\n')
        expectClose(golden, JSON.parse(fs.readFileSync(fixture, 'utf8')), 0.05)
        const again = await call(ctx().app, 'GET', lelystad.inputs.permalink)
        const { inputs: _a, ...figures } = lelystad
        const { inputs: _b, ...reproduced } = again.json
        expect(reproduced).toEqual(figures)
        expect(again.json.inputs.dataVersion).toEqual(lelystad.inputs.dataVersion)
      },
    )

    it.runIf(needsSharedData())(
      'sees a place added, moved and closed on the next request',
      async () => {
        await addPlaces(places(20))
        const base = await coverage('area=GM0995')
        const created = await call(
          ctx().app,
          'POST',
          '/api/assets',
          assetBody({ name: 'Nieuwe huiskamer', kind: 'living_room' }, [5.4714, 52.5185]),
        )
        const added = await coverage('area=GM0995')
        expect(added.inhabitantsWithin).toBeGreaterThan(base.inhabitantsWithin)
        expect(added.inputs.dataVersion.fingerprint).not.toBe(base.inputs.dataVersion.fingerprint)
        const moved = await call(
          ctx().app,
          'PATCH',
          `/api/assets/${created.json.id}`,
          { geometry: { type: 'Point', coordinates: [5.8, 52.8] } },
          { 'if-match': '"v1"' },
        )
        expect(moved.status).toBe(200)
        expect((await coverage('area=GM0995')).inhabitantsWithin).toBe(base.inhabitantsWithin)
        await call(
          ctx().app,
          'PATCH',
          `/api/assets/${created.json.id}`,
          {
            geometry: { type: 'Point', coordinates: [5.4714, 52.5185] },
            properties: { status: 'closed' },
          },
          { 'if-match': '"v2"' },
        )
        expect((await coverage('area=GM0995')).inhabitantsWithin).toBe(base.inhabitantsWithin)
      },
    )

    it.runIf(needsSharedData())('counts only the places the filter names', async () => {
      await addPlaces([[5.4714, 52.5185]], {
        kind: 'cafe',
        wheelchair: 'no',
        opening_hours: 'Mo-Fr 09:00-17:00',
        free_entry: false,
      })
      await addPlaces([[5.4714, 52.5185]], { kind: 'bench' })
      const all = await coverage('area=GM0995')
      expect(all.inputs.places.counted).toBe(1)
      const benchesToo = await coverage('area=GM0995&meetingPlacesOnly=false')
      expect(benchesToo.inputs.places.counted).toBe(2)
      expect((await coverage('area=GM0995&wheelchair=limited')).inputs.places.counted).toBe(0)
      expect((await coverage('area=GM0995&freeEntry=true')).inputs.places.counted).toBe(0)
      expect((await coverage('area=GM0995&kind=library')).inputs.places.counted).toBe(0)
      // Monday 23 November 2026: open at 10:00, closed at 20:00 and on Sunday.
      expect((await coverage('area=GM0995&openAt=2026-11-23T10:00')).inputs.places.counted).toBe(1)
      expect((await coverage('area=GM0995&openAt=2026-11-23T20:00')).inputs.places.counted).toBe(0)
      const sunday = await coverage('area=GM0995&openAt=2026-11-22T10:00&meetingPlacesOnly=false')
      expect(sunday.inputs.places.counted).toBe(1)
      const strict = await coverage(
        'area=GM0995&openAt=2026-11-22T10:00&meetingPlacesOnly=false&openUnknown=exclude',
      )
      expect(strict.inputs.places.counted).toBe(0)
      expect(strict.inputs.permalink).toContain('openAt=2026-11-22T10%3A00')
      const none = await coverage('area=GM0995&kind=library')
      expect(none).toMatchObject({ inhabitantsWithin: 0, share: 0, meanDistanceM: null })
      expect(none.unreachableInhabitants).toBe(none.inhabitants)
    })

    it.runIf(needsSharedData())(
      'serves compact hexes whose values agree with coverage',
      async () => {
        await addPlaces(places(30))
        const population = await call(ctx().app, 'GET', '/api/hexes?metric=population&res=8')
        expect(population.status).toBe(200)
        expect(population.json.cells.length).toBe(population.json.count)
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
        // Each hexagon rounded to millionths: the total may be off by half a millionth each.
        const slack = (n: number) => 0.000_000_5 * n + 0.01
        expect(Math.abs(sum(population.json.inhabitants) - WIJK_TOTAL)).toBeLessThan(
          slack(population.json.count),
        )
        // Hexagons of any size sum the figures of resolution 10, the resolution of every figure.
        const gaps = await call(ctx().app, 'GET', '/api/hexes?metric=gap&res=9&threshold=800')
        expect(gaps.json.inputs).toMatchObject({ resolution: 10, drawnAtResolution: 9 })
        const wijken = await coverage('area=province&threshold=800')
        const gapTotal = sum(gaps.json.inhabitants)
        // The province's figures are scaled to the gemeenten's counts; the hexagons are the wijken's.
        expect(gapTotal * (GEMEENTE_TOTAL / WIJK_TOTAL)).toBeCloseTo(wijken.gapInhabitants, 0)
        expect(gaps.json.distanceM.every((d: number) => d > 800)).toBe(true)
        const box = await call(
          ctx().app,
          'GET',
          '/api/hexes?metric=distance&res=9&bbox=5.40,52.45,5.55,52.55',
        )
        expect(box.json.count).toBeGreaterThan(100)
        expect(box.json.count).toBeLessThan(population.json.count * 7)
        const density9 = await call(ctx().app, 'GET', '/api/hexes?metric=density&res=9')
        const density8 = await call(ctx().app, 'GET', '/api/hexes?metric=density&res=8')
        expect(sum(density9.json.total)).toBe(30)
        expect(sum(density8.json.total)).toBe(30)
      },
    )

    it.runIf(needsSharedData())(
      'agrees with the same coverage computed directly in PostGIS (within 0.1 pp)',
      async () => {
        await addPlaces(places(150, 7))
        const direct = await sql<{ gemeente: string; share: number }>`
        with counted as (
          select ST_Transform(geom, 28992) as g from assets
          where deleted_at is null and is_meeting_place and status = 'active'),
        cells as (
          select c.cell, ST_Transform(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326), 28992) as g
          from population_cells c where c.res = 9),
        dist as (
          select cells.cell, (select min(ST_Distance(cells.g, counted.g)) from counted) as d from cells)
        select p.gemeente_code as gemeente,
          sum(p.inhabitants) filter (where dist.d <= 800)::float8 / sum(p.inhabitants) as share
        from population_portions p join dist on dist.cell = p.cell
        where p.res = 9 group by p.gemeente_code order by 1`.execute(ctx().handle.db)
        expect(direct.rows).toHaveLength(6)
        for (const row of direct.rows) {
          const service = await coverage(`area=${row.gemeente}&res=9&mode=line&threshold=800`)
          expect(Math.abs(service.share - Number(row.share)) * 100, row.gemeente).toBeLessThan(0.1)
        }
      },
    )

    it('names the places a filter counts, the same ones the figures count', async () => {
      await addPlaces([[5.47, 52.52]], { kind: 'library', wheelchair: 'yes' })
      await addPlaces([[5.48, 52.52]], { kind: 'cafe', free_entry: true })
      await addPlaces([[5.49, 52.52]], { kind: 'community_centre', status: 'planned' })
      await addPlaces([[5.5, 52.52]], { kind: 'bench' })
      const all = await call(ctx().app, 'GET', '/api/counted')
      expect(all.status).toBe(200)
      expect(all.json.count).toBe(2) // active meeting places: not the planned one, not the bench
      const planned = await call(ctx().app, 'GET', '/api/counted?status=active,planned')
      expect(planned.json.count).toBe(3)
      const free = await call(ctx().app, 'GET', '/api/counted?freeEntry=true')
      expect(free.json.count).toBe(1)
      const list = await call(ctx().app, 'GET', '/api/assets?q=Plek')
      const cafe = list.json.features.find(
        (f: { properties: { kind: string } }) => f.properties.kind === 'cafe',
      )
      expect(free.json.ids).toEqual([cafe.id])
      expect((await call(ctx().app, 'GET', '/api/counted?wheelchair=maybe')).status).toBe(400)
    })

    it('refuses what it cannot answer, with a problem', async () => {
      const unknown = await call(ctx().app, 'GET', '/api/coverage?area=GM9999')
      expect(unknown.status).toBe(404)
      const walk = await call(ctx().app, 'GET', '/api/coverage?area=province&mode=walk')
      expect(walk.status).toBe(409)
      expect(walk.json.messages.detail.nl).toContain('wegennet')
      for (const bad of [
        'area=province&res=12',
        'area=province&threshold=-5',
        'area=province&openAt=maandag',
        'area=province&kind=castle',
        'area=province&colour=red',
      ]) {
        const res = await call(ctx().app, 'GET', `/api/coverage?${bad}`)
        expect(res.status, bad).toBe(400)
        expect(res.headers.get('content-type')).toContain('application/problem+json')
      }
      expect((await call(ctx().app, 'GET', '/api/hexes?metric=population&res=6')).status).toBe(400)
      expect((await call(ctx().app, 'GET', '/api/hexes?metric=rainfall')).status).toBe(400)
    })
  },
  {
    reset: 'assets',
    areas: realAreasIfShared('gemeenten+wijken'),
  },
)
