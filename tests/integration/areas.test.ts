import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { systemClock } from '../../api/domain/clock.js'
import { importAreas } from '../../api/services/areas.js'
import {
  assetBody,
  call,
  describeBackends,
  loadRealAreas,
  needsSharedData,
} from '../helpers/backends.js'

describeBackends('CBS areas (real files in shared/data)', (ctx) => {
  it.runIf(needsSharedData())(
    'loads the 6 gemeenten, 103 wijken and 94 PC4 areas with their exact totals',
    async () => {
      const report = await loadRealAreas(ctx().handle, systemClock, ['gemeenten', 'wijken', 'pc4'])
      // Each level on its own: gemeenten, wijken and PC4 are the same people, never added up.
      expect(report).toMatchObject({
        imported: 203,
        by_level: { gemeente: 6, wijk: 103, pc4: 94 },
        levels: [
          { level: 'gemeente', areas: 6, withCount: 6, inhabitants: 434_771, year: 2022 },
          { level: 'wijk', areas: 103, withCount: 103, inhabitants: 434_715, year: 2022 },
          { level: 'pc4', areas: 94, inhabitants: 428_210, year: 2021 },
        ],
        // The wijken are the surface's units; PC4 only weighs where people live within them.
        surface: { source_level: 'wijk', year: 2022, inhabitants: 434_715 },
      })
      expect(report.gemeenten.find((g) => g.code === 'GM0995')).toMatchObject({
        name: 'Lelystad',
        official: 81_214,
        wijken: 81_215,
      })
      const perLevel = await sql<{ level: string; total: number }>`
        select level, sum(inhabitants)::int as total from areas group by level order by level`.execute(
        ctx().handle.db,
      )
      expect(perLevel.rows).toEqual([
        { level: 'gemeente', total: 434_771 },
        { level: 'pc4', total: 428_210 },
        { level: 'wijk', total: 434_715 },
      ])

      const list = await call(ctx().app, 'GET', '/api/areas?level=wijk&gemeente=GM0995')
      expect(list.status).toBe(200)
      expect(list.json.features.length).toBeGreaterThan(5)
      expect(
        list.json.features.every((f: { properties: { code: string } }) =>
          f.properties.code.startsWith('WK0995'),
        ),
      ).toBe(true)
      const pc4Lelystad = await call(ctx().app, 'GET', '/api/areas?level=pc4&gemeente=GM0995')
      expect(pc4Lelystad.json.features).toHaveLength(20)

      const lelystad = await call(ctx().app, 'GET', '/api/areas/GM0995')
      expect(lelystad.json.properties).toMatchObject({
        name: 'Lelystad',
        level: 'gemeente',
        inhabitants: 81_214,
        inhabitants_year: 2022,
      })
      // Land area of the generalised boundary, computed in RD New; CBS gives about 230 km² of land.
      expect(lelystad.json.properties.area_km2).toBeGreaterThan(200)
      expect(lelystad.json.properties.area_km2).toBeLessThan(260)
    },
  )

  it.runIf(needsSharedData())(
    'derives gemeente, wijk and PC4 codes of assets by spatial join, before and after loading',
    async () => {
      // Lelystad station area and Emmeloord's Poldertoren.
      const lelystad = await call(
        ctx().app,
        'POST',
        '/api/assets',
        assetBody({ name: 'Bieb Lelystad', kind: 'library' }, [5.4733, 52.5089]),
      )
      expect(lelystad.json.properties.gemeente_code).toBeNull()
      await loadRealAreas(ctx().handle, systemClock, ['gemeenten', 'wijken', 'pc4'])
      const after = await call(ctx().app, 'GET', `/api/assets/${lelystad.json.id}`)
      expect(after.json.properties.gemeente_code).toBe('GM0995')
      expect(after.json.properties.wijk_code).toMatch(/^WK0995\d\d$/)
      expect(after.json.properties.pc4_code).toMatch(/^82\d\d$/)
      const emmeloord = await call(
        ctx().app,
        'POST',
        '/api/assets',
        assetBody({ name: 'Poldertoren', kind: 'park_square' }, [5.7466, 52.7105]),
      )
      expect(emmeloord.json.properties).toMatchObject({
        gemeente_code: 'GM0171',
        wijk_code: 'WK017101',
      })
      const filtered = await call(ctx().app, 'GET', '/api/assets?gemeente=GM0171')
      expect(
        filtered.json.features.map((f: { properties: { name: string } }) => f.properties.name),
      ).toEqual(['Poldertoren'])
      const counts = await call(ctx().app, 'GET', '/api/areas/GM0171')
      expect(counts.json.properties.active_assets_by_kind).toEqual({ park_square: 1 })
    },
  )

  it('rolls back an area import with one invalid feature', async () => {
    const square = (x: number) => [
      [
        [x, 52.5],
        [x + 0.01, 52.5],
        [x + 0.01, 52.51],
        [x, 52.51],
        [x, 52.5],
      ],
    ]
    const good = {
      type: 'Feature',
      properties: { code: 'GM9001', name: 'Goed', population: 10 },
      geometry: { type: 'Polygon', coordinates: square(5.5) },
    }
    const bowtie = {
      type: 'Feature',
      properties: { code: 'GM9002', name: 'Vlinderdas', population: 10 },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [5.6, 52.5],
            [5.61, 52.51],
            [5.61, 52.5],
            [5.6, 52.51],
            [5.6, 52.5],
          ],
        ],
      },
    }
    await expect(
      importAreas({ db: ctx().handle.db, clock: systemClock }, [
        {
          collection: { type: 'FeatureCollection', features: [good, bowtie] },
          year: 2022,
          source: 'test',
        },
      ]),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      extra: { rows: [{ source_ref: 'GM9002' }] },
    })
    const noCode = { ...good, properties: { name: 'Zonder code' } }
    await expect(
      importAreas({ db: ctx().handle.db, clock: systemClock }, [
        {
          collection: { type: 'FeatureCollection', features: [good, noCode] },
          year: 2022,
          source: 'test',
        },
      ]),
    ).rejects.toMatchObject({ code: 'validation_failed' })
    // Text PostgreSQL cannot store is named by row and field, not a database error.
    const nul = { ...good, properties: { ...good.properties, code: 'GM9003', name: 'N\u0000' } }
    await expect(
      importAreas({ db: ctx().handle.db, clock: systemClock }, [
        {
          collection: { type: 'FeatureCollection', features: [good, nul] },
          year: 2022,
          source: 'test',
        },
      ]),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      extra: {
        rows: [{ row: 2, errors: [{ pointer: '/properties/name', code: 'control_character' }] }],
      },
    })
    const list = await call(ctx().app, 'GET', '/api/areas')
    expect(list.json.features).toHaveLength(0)
  })

  it('stores negative CBS inhabitant codes as unknown, not as a count', async () => {
    const square = [
      [
        [5.5, 52.5],
        [5.51, 52.5],
        [5.51, 52.51],
        [5.5, 52.51],
        [5.5, 52.5],
      ],
    ]
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { statcode: 'BU09950101', statnaam: 'Geheim', aantal_inwoners: -99999999 },
          geometry: { type: 'Polygon', coordinates: square },
        },
      ],
    }
    const report = await importAreas({ db: ctx().handle.db, clock: systemClock }, [
      { collection, year: 2023, source: 'test' },
    ])
    expect(report.notes).toHaveLength(1)
    const area = await call(ctx().app, 'GET', '/api/areas/BU09950101')
    expect(area.json.properties).toMatchObject({
      level: 'buurt',
      inhabitants: null,
      gemeente_code: 'GM0995',
      parent_code: 'WK099501',
    })
  })

  it('answers 404 for an unknown area and 400 for an unknown level', async () => {
    expect((await call(ctx().app, 'GET', '/api/areas/GM9999')).status).toBe(404)
    expect((await call(ctx().app, 'GET', '/api/areas?level=provincie')).status).toBe(400)
  })
})
