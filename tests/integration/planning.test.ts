import { expect, it } from 'vitest'
import {
  assetBody,
  call,
  describeBackends,
  requireSharedData,
  type TestContext,
  realAreasIfShared,
} from '../helpers/backends.js'
import { importOsmFile, loadSyntheticDelftAreas, NL } from '../helpers/osm.js'

/** A reproducible spread of points in a lon/lat box (LCG, fixed seed). */
function spread(
  count: number,
  box: [number, number, number, number],
  seed = 7,
): [number, number][] {
  let state = seed
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  return Array.from({ length: count }, () => [
    box[0] + next() * (box[2] - box[0]),
    box[1] + next() * (box[3] - box[1]),
  ])
}

async function get(ctx: TestContext, url: string) {
  const res = await call(ctx.app, 'GET', url)
  expect(res.status, `${url}: ${res.text}`).toBe(200)
  return res.json
}

/**
 * The live preview (incremental) must give the same inhabitants within the threshold as a full
 * recompute of a saved scenario, and the suggestions must be computed on the same distances.
 */
function planningChecks(
  ctx: () => TestContext,
  o: { area: string; mode: string; threshold: number; box: [number, number, number, number] },
) {
  const q = `area=${o.area}&mode=${o.mode}&res=9&threshold=${o.threshold}`

  it('previews added and closed places exactly as a full recompute of the saved scenario', async () => {
    const today = await get(ctx(), `/api/coverage?${q}`)
    const proposals = spread(3, o.box, 11)
    const existing = (await get(ctx(), `/api/counted`)).ids as string[]
    const close = existing.slice(0, 2)
    const add = proposals.map(([lon, lat]) => `${lon},${lat},community_centre`).join(';')
    const preview = await get(
      ctx(),
      `/api/scenario-preview?${q}&add=${add}&close=${close.join(',')}`,
    )
    // Fractional inhabitants, summed in another order and rounded to hundredths: equal to 0.01.
    expect(preview.withinToday).toBeCloseTo(today.inhabitantsWithin, 1)
    expect(preview.inhabitants).toBeCloseTo(today.inhabitants, 1)

    const planner = await ctx().as('contributor')
    const saved = await call(planner, 'POST', '/api/scenarios', {
      name: 'Drie huiskamers, twee dicht',
      area: o.area,
      mode: o.mode,
      threshold: o.threshold,
      res: 9,
      add: proposals.map(([lon, lat]) => ({ lon, lat, kind: 'community_centre' })),
      close,
    })
    expect(saved.status, saved.text).toBe(201)
    const full = await get(ctx(), `/api/scenarios/${saved.json.id}/coverage`)
    expect(full.today.inhabitantsWithin).toBeCloseTo(today.inhabitantsWithin, 1)
    expect(full.withScenario.inhabitantsWithin).toBeCloseTo(preview.withinAfter, 1)
    expect(full.difference.inhabitantsWithin).toBeCloseTo(preview.gained, 1)
    const gainedCells = (list: { cell: string; gained: boolean }[]) =>
      list
        .filter((c) => c.gained)
        .map((c) => c.cell)
        .sort()
    expect(gainedCells(preview.cells)).toEqual(gainedCells(full.cells))
    expect(full.inputs.places).toMatchObject({ added: 3, closed: 2 })
    expect(full.inputs.permalink).toBe(`/api/v1/scenarios/${saved.json.id}/coverage`)
  })

  it('adds inhabitants only where a proposed place brings them within the threshold', async () => {
    const gaps = (await get(ctx(), `/api/coverage?${q}&gaps=50`)).gaps.filter(
      (g: { distanceM: number | null }) => g.distanceM !== null,
    )
    expect(gaps.length).toBeGreaterThan(0)
    // A place at the centre of one of the worst gaps (over the network its snap leg may eat the
    // threshold, so try a few): somewhere it must help.
    let best = { gained: 0, lon: 0, lat: 0 }
    for (const g of gaps.slice(0, 10)) {
      const preview = await get(ctx(), `/api/scenario-preview?${q}&add=${g.lon},${g.lat},library`)
      const gainedCells = preview.cells.filter((c: { gained: boolean }) => c.gained)
      // Each cell rounded to hundredths: the sum may differ by half a hundredth per cell.
      const sum = gainedCells.reduce(
        (s: number, c: { inhabitants: number }) => s + c.inhabitants,
        0,
      )
      expect(Math.abs(preview.gained - sum)).toBeLessThanOrEqual(0.005 * gainedCells.length + 0.01)
      for (const c of preview.cells) expect(c.afterM).toBeLessThan(c.beforeM ?? Infinity)
      if (preview.gained > best.gained) best = { gained: preview.gained, lon: g.lon, lat: g.lat }
    }
    expect(best.gained).toBeGreaterThan(0)
    const { lon, lat } = best
    // A bench is not a meeting place: it changes nothing.
    const bench = await get(ctx(), `/api/scenario-preview?${q}&add=${lon},${lat},bench`)
    expect(bench.gained).toBe(0)
    expect(bench.cells).toEqual([])
  })

  it('suggests sites with gains that never grow, each equal to its own preview', async () => {
    const result = await get(ctx(), `/api/suggestions?${q}&k=4&candidates=cells`)
    const picks = result.suggestions
    expect(picks.length).toBeGreaterThan(1)
    for (let i = 1; i < picks.length; i++)
      expect(picks[i].gain).toBeLessThanOrEqual(picks[i - 1].gain)
    // The first pick's gain is what the live preview says placing a meeting place there adds.
    const first = picks[0]
    const preview = await get(
      ctx(),
      `/api/scenario-preview?${q}&add=${first.lon},${first.lat},community_centre`,
    )
    expect(preview.gained).toBeCloseTo(first.gain, 1)
    // All k together: the preview of the whole set gains the sum of the marginal gains.
    const all = picks
      .map((p: { lon: number; lat: number }) => `${p.lon},${p.lat},community_centre`)
      .join(';')
    const together = await get(ctx(), `/api/scenario-preview?${q}&add=${all}`)
    const sumOfGains = picks.reduce((s: number, p: { gain: number }) => s + p.gain, 0)
    expect(Math.abs(together.gained - sumOfGains)).toBeLessThanOrEqual(0.01 * picks.length)
    expect(result.inputs.permalink).toMatch(/^\/api\/v1\/suggestions\?area=/)
  })
}

describeBackends(
  'what-if scenarios and suggestions, straight line, real Flevoland wijken',
  (ctx) => {
    planningChecks(ctx, {
      area: 'GM0995',
      mode: 'line',
      threshold: 800,
      box: [5.4, 52.47, 5.55, 52.55],
    })

    it('activates what is there: suggests existing schools, and refuses bad input', async () => {
      const schools = spread(6, [5.4, 52.47, 5.55, 52.55], 3)
      for (const [i, p] of schools.entries()) {
        await call(
          ctx().app,
          'POST',
          '/api/assets',
          assetBody({ name: `School ${i}`, kind: 'school' }, p),
        )
      }
      const result = await get(
        ctx(),
        '/api/suggestions?area=GM0995&k=2&candidates=assets&kind=school',
      )
      expect(result.suggestions.length).toBeGreaterThan(0)
      expect(result.suggestions[0].asset).toMatchObject({
        kind: 'school',
        name: expect.stringMatching(/^School/),
      })
      expect(result.inputs.candidates).toMatchObject({ kind: 'assets', considered: 6 })

      const bad = await call(
        ctx().app,
        'GET',
        '/api/scenario-preview?area=GM0995&add=5.4,abc,library',
      )
      expect(bad.status).toBe(400)
      expect(bad.json.errors[0].pointer).toBe('add')
      const far = await call(ctx().app, 'POST', '/api/scenarios', {
        name: 'Parijs',
        area: 'GM0995',
        add: [{ lon: 2.35, lat: 48.85, kind: 'library' }],
      })
      expect(far.status).toBe(422)
      expect(far.json.errors[0].pointer).toBe('/add/0')
      expect(
        (await call(ctx().anon, 'POST', '/api/scenarios', { name: 'x', area: 'GM0995' })).status,
      ).toBe(401)
      expect(
        (await call(ctx().app, 'GET', '/api/scenarios/00000000-0000-4000-8000-000000000000'))
          .status,
      ).toBe(404)
    })
  },
  {
    reset: 'assets',
    areas: realAreasIfShared('gemeenten+wijken'),
    beforeEachHook: async (c) => {
      for (const [i, p] of spread(12, [5.4, 52.47, 5.55, 52.55], 5).entries()) {
        await call(c.app, 'POST', '/api/assets', assetBody({ name: `Buurthuis ${i}` }, p))
      }
    },
  },
)

describeBackends(
  'what-if scenarios and suggestions, walking over the real Delft network',
  (ctx) => {
    planningChecks(ctx, {
      area: 'GM9901',
      mode: 'walk',
      threshold: 250,
      box: [4.36, 51.997, 4.383, 52.004],
    })

    it('reports walking and cycling when a network is loaded, with the water finding', async () => {
      const r = await get(ctx(), '/reports/GM9901.json')
      expect(r.primary).toBe('walk')
      expect(r.modes).toEqual(['walk', 'bike', 'line'])
      const walk = await get(ctx(), '/api/coverage?area=GM9901&mode=walk&gaps=25')
      expect(r.figures.walk.area.inhabitantsWithin).toBe(walk.inhabitantsWithin)
      expect(r.figures.walk.area.network.meanDetourFactor).toBe(walk.network.meanDetourFactor)
      const html = await call(ctx().app, 'GET', '/reports/GM9901')
      expect(html.text).toContain('binnen 800 m lopen')
      expect(html.text).toContain('binnen 2,5 km fietsen')
      expect(html.text).toMatch(/Water en omwegen/)
      expect(html.text).toContain('ODbL 1.0 © OpenStreetMap-bijdragers')
      expect(html.text).toContain('tudelft.osm.pbf')
    })
  },
  {
    config: { regionBbox: NL, regionName: 'Nederland' },
    reset: 'none',
    setup: async (c) => {
      await loadSyntheticDelftAreas(c)
      await importOsmFile(c, requireSharedData('osm/tudelft.osm.pbf'))
    },
  },
)
