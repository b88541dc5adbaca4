import { setImmediate as nextTurn } from 'node:timers/promises'
import { sql } from 'kysely'
import type { AreaLevel } from '../domain/areas.js'
import type { Surface, SurfaceResolution } from '../domain/surface.js'
import { habitableOutline, type OpenedPart } from '../domain/habitable.js'
import { jsonb, openedParts } from '../db/postgis.js'
import { toIso } from './assets.js'
import type { Executor } from '../db/database.js'

/** Rows per insert statement: 8 columns × 4,000 stays under the 65,535 bind parameters. */
const ROWS = 4000

export interface DataVersion {
  readonly assets: number
  readonly areas: number
  readonly network: number
}

/** The counters every change to assets, areas (and their counts) or the network bumps. */
export async function dataVersion(db: Executor): Promise<DataVersion> {
  const row = await db
    .selectFrom('data_version')
    .select(['assets', 'areas', 'network'])
    .executeTakeFirstOrThrow()
  return { assets: Number(row.assets), areas: Number(row.areas), network: Number(row.network) }
}

/** How many areas each level has. */
export async function areasPerLevel(db: Executor): Promise<Map<AreaLevel, number>> {
  const rows = await db
    .selectFrom('areas')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('level')
    .execute()
  return new Map(rows.map((r) => [r.level, Number(r.n)]))
}

/** An area with every count known for it: per year, and the area file's own (year maybe unknown). */
export interface AreaCounts {
  readonly code: string
  readonly level: AreaLevel
  readonly name: string
  readonly byYear: ReadonlyMap<number, number>
  /** Where each year's count comes from. */
  readonly sourceByYear: ReadonlyMap<number, string>
  /** The count in the area file itself, for when no year is known. */
  readonly fileCount: number | null
  readonly fileYear: number | null
  readonly fileSource: string
}

/** Every area of the given levels with its counts. */
export async function areaCounts(
  db: Executor,
  levels: readonly AreaLevel[],
): Promise<AreaCounts[]> {
  if (levels.length === 0) return []
  const areas = await db
    .selectFrom('areas')
    .select(['code', 'level', 'name', 'inhabitants', 'inhabitants_year', 'source'])
    .where('level', 'in', levels)
    .orderBy('code')
    .execute()
  const counts = await db
    .selectFrom('area_counts')
    .innerJoin('areas', 'areas.code', 'area_counts.code')
    .select([
      'area_counts.code',
      'area_counts.year',
      'area_counts.inhabitants',
      'area_counts.source',
    ])
    .where('areas.level', 'in', levels)
    .execute()
  const byCode = new Map<string, Map<number, number>>()
  const sources = new Map<string, Map<number, string>>()
  for (const c of counts) {
    let m = byCode.get(c.code)
    if (!m) byCode.set(c.code, (m = new Map<number, number>()))
    m.set(c.year, c.inhabitants)
    let src = sources.get(c.code)
    if (!src) sources.set(c.code, (src = new Map<number, string>()))
    src.set(c.year, c.source)
  }
  return areas.map((a) => ({
    code: a.code,
    level: a.level,
    name: a.name,
    byYear: byCode.get(a.code) ?? new Map<number, number>(),
    sourceByYear: sources.get(a.code) ?? new Map<number, string>(),
    fileCount: a.inhabitants,
    fileYear: a.inhabitants_year,
    fileSource: a.source,
  }))
}

/**
 * The habitable outline of each area of a level (api/domain/habitable.ts), as GeoJSON, with the
 * share of the outline it keeps.
 */
export async function habitableOutlines(
  db: Executor,
  level: AreaLevel,
): Promise<Map<string, { geometry: Geometry; keptShare: number }>> {
  const rows = (await openedParts(level).execute(db)).rows
  const byCode = new Map<string, { outline: Geometry; outlineM2: number; parts: OpenedPart[] }>()
  for (const r of rows) {
    let entry = byCode.get(r.code)
    if (!entry) {
      entry = {
        outline: JSON.parse(r.outline) as Geometry,
        outlineM2: Number(r.outline_m2),
        parts: [],
      }
      byCode.set(r.code, entry)
    }
    entry.parts.push({
      geometry: JSON.parse(r.part) as Geometry,
      m2: Number(r.part_m2),
      toMainM: Number(r.to_main_m),
    })
  }
  // An area whose opening left nothing keeps its outline: read those too.
  const all = await db
    .selectFrom('areas')
    .select(['code', sql<string>`ST_AsGeoJSON(geom, 7)`.as('outline')])
    .where('level', '=', level)
    .execute()
  return new Map(
    all.map((a) => {
      const e = byCode.get(a.code)
      return [
        a.code,
        e
          ? habitableOutline(e.outline, e.outlineM2, e.parts)
          : { geometry: JSON.parse(a.outline) as Geometry, keptShare: 1 },
      ]
    }),
  )
}

type Geometry = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }

export interface SurfaceMeta {
  /** The units' level: the finest administrative level with counts. */
  readonly source_level: AreaLevel
  readonly sources: readonly { source: string; year: number | null; areas: number }[]
  /** Inhabitants on the surface (the units' counts together). */
  readonly inhabitants: number
  readonly areas_version: number
  readonly built_at: string
  readonly model_version: number
  /** The year of the units' counts; null when they are of several years. */
  readonly year: number | null
  /** How the surface was built: ancillary layers, the habitable-land rule, notes. */
  readonly model: PopulationModel
}

export interface PopulationModel {
  readonly units: AreaLevel | null
  readonly years: readonly number[]
  readonly ancillary: readonly {
    name: string
    source: string
    year: number | null
    areas: number
    unitsWeighted: number
  }[]
  readonly unitsByArea: number
  readonly habitable: {
    readonly narrowLandM: number
    readonly farPartM: number
    readonly smallPartShare: number
    readonly minKeptShare: number
  }
  readonly notes: readonly string[]
}

/** One administrative area's control total: its official count and the surface's sum. */
export interface Control {
  readonly code: string
  readonly level: AreaLevel
  readonly year: number | null
  readonly official: number
  readonly surface: number
}

/** Replaces the stored surface: cells and portions per resolution, controls and what it was built from. */
export async function replaceSurface(
  db: Executor,
  surfaces: readonly Surface[],
  meta: SurfaceMeta,
  controls: readonly Control[],
  chain: (unit: string) => { gemeente: string | null; wijk: string | null; buurt: string | null },
): Promise<void> {
  await db.deleteFrom('population_portions').execute()
  await db.deleteFrom('population_cells').execute()
  await db.deleteFrom('population_meta').execute()
  await db.deleteFrom('population_controls').execute()
  // Column by column (each column one separated text, unnested in SQL), as loadSurface reads it:
  // as rows of bind parameters, writing the province's 135,000 cells and 147,000 portions took
  // most of an area import on PGlite.
  for (const surface of surfaces) {
    for (let i = 0; i < surface.cells.length; i += COLUMN_ROWS) {
      const cells = surface.cells.slice(i, i + COLUMN_ROWS)
      await sql`
        insert into population_cells (res, cell, inhabitants, lon, lat, x, y)
        select ${surface.res}, * from unnest(
          ${codesColumn(cells.map((c) => c.cell))},
          ${numbersColumn(cells.map((c) => c.inhabitants))},
          ${numbersColumn(cells.map((c) => c.lon))},
          ${numbersColumn(cells.map((c) => c.lat))},
          ${numbersColumn(cells.map((c) => c.x))},
          ${numbersColumn(cells.map((c) => c.y))})`.execute(db)
    }
    for (let i = 0; i < surface.portions.length; i += COLUMN_ROWS) {
      const portions = surface.portions.slice(i, i + COLUMN_ROWS)
      const chains = portions.map((p) => chain(p.unit))
      await sql`
        insert into population_portions
          (res, cell, unit_code, gemeente_code, wijk_code, buurt_code, pc4_code, inhabitants)
        select ${surface.res}, * from unnest(
          ${codesColumn(portions.map((p) => p.cell))},
          ${codesColumn(portions.map((p) => p.unit))},
          ${codesColumn(chains.map((c) => c.gemeente))},
          ${codesColumn(chains.map((c) => c.wijk))},
          ${codesColumn(chains.map((c) => c.buurt))},
          ${codesColumn(portions.map((p) => p.pc4))},
          ${numbersColumn(portions.map((p) => p.inhabitants))})`.execute(db)
    }
  }
  for (let i = 0; i < controls.length; i += ROWS) {
    await db
      .insertInto('population_controls')
      .values(controls.slice(i, i + ROWS).map((c) => ({ ...c })))
      .execute()
  }
  await db
    .insertInto('population_meta')
    .values({
      id: 1,
      source_level: meta.source_level,
      sources: jsonb(meta.sources),
      inhabitants: meta.inhabitants,
      areas_version: meta.areas_version,
      built_at: meta.built_at,
      model_version: meta.model_version,
      year: meta.year,
      model: jsonb(meta.model),
    })
    .execute()
}

export async function surfaceMeta(db: Executor): Promise<SurfaceMeta | undefined> {
  const row = await db.selectFrom('population_meta').selectAll().executeTakeFirst()
  if (!row) return undefined
  return {
    source_level: row.source_level as AreaLevel,
    sources: row.sources as SurfaceMeta['sources'],
    inhabitants: Number(row.inhabitants),
    areas_version: Number(row.areas_version),
    built_at: toIso(row.built_at),
    model_version: Number(row.model_version),
    year: row.year,
    model: row.model as PopulationModel,
  }
}

/** Every administrative area's control total. */
export async function loadControls(db: Executor): Promise<Control[]> {
  const rows = await db.selectFrom('population_controls').selectAll().orderBy('code').execute()
  return rows.map((r) => ({
    code: r.code,
    level: r.level as AreaLevel,
    year: r.year,
    official: r.official,
    surface: Number(r.surface),
  }))
}

/** One stored resolution as columns: the cells in H3 order, and the portions with their codes. */
export interface SurfaceColumns {
  readonly cells: {
    readonly cell: string[]
    readonly inhabitants: Float64Array
    readonly lon: Float64Array
    readonly lat: Float64Array
    readonly x: Float64Array
    readonly y: Float64Array
  }
  /** Ordered by cell, unit and PC4; a missing code is null. */
  readonly portions: {
    readonly cell: string[]
    readonly unit: string[]
    readonly gemeente: (string | null)[]
    readonly wijk: (string | null)[]
    readonly buurt: (string | null)[]
    readonly pc4: (string | null)[]
    readonly inhabitants: Float64Array
  }
}

/** Separates the values of one text column (ASCII unit separator: in no code or H3 index). */
const SEP = '\u001f'

/** Rows per statement when writing column by column. */
const COLUMN_ROWS = 20_000

/** A text[] of codes from one separated text; null is written as '' (no code is empty). */
function codesColumn(values: readonly (string | null)[]) {
  return sql`string_to_array(${values.map((v) => v ?? '').join(SEP)}, chr(31), '')`
}

/**
 * A float8[] from one separated text. A number's shortest decimal form reads back as the same
 * float8 (PostgreSQL's float8in rounds correctly), so nothing is changed by the trip.
 */
function numbersColumn(values: readonly number[]) {
  return sql`string_to_array(${values.map(String).join(SEP)}, chr(31))::float8[]`
}

/**
 * Loads one resolution column by column, a page of cells at a time: numbers as packed
 * big-endian float8 (`float8send`), codes as one separated text. Reading 115,000 cells and
 * 120,000 portions as row objects took 2.7 s on PGlite (parsing rows, not the query); as
 * columns it is about 0.7 s, in pages of a tenth of a second each.
 */
export async function loadSurface(db: Executor, res: SurfaceResolution): Promise<SurfaceColumns> {
  const packed = (column: string, order: string) =>
    sql`string_agg(float8send(${sql.ref(column)}), ''::bytea order by ${sql.raw(order)})`
  const text = (column: string, order: string) =>
    sql`coalesce(string_agg(coalesce(${sql.ref(column)}, ''), chr(31) order by ${sql.raw(order)}), '')`
  // A column of n values has n - 1 separators (one empty code is '' too, so count, not test).
  const codes = (joined: string | undefined, n: number) =>
    n === 0 ? [] : (joined ?? '').split(SEP)
  const orNull = (values: string[]) => values.map((code) => (code === '' ? null : code))
  const cells = { cell: [] as string[], numbers: [] as Float64Array[][] }
  const portions = {
    codes: [] as string[][][],
    inhabitants: [] as Float64Array[],
  }
  // Page by page in H3 order, each page's portions with it (a portion of a cell that is not
  // stored is left out by the surface anyway). PGlite runs a statement on this thread: between
  // pages, requests that arrived meanwhile go first, so a service that is loading still answers.
  for (let after = ''; ;) {
    await nextTurn()
    const page = await sql<
      Record<'cell', string> & Record<'inhabitants' | 'lon' | 'lat' | 'x' | 'y', Uint8Array | null>
    >`
      select ${text('cell', 'cell')} as cell, ${packed('inhabitants', 'cell')} as inhabitants,
        ${packed('lon', 'cell')} as lon, ${packed('lat', 'cell')} as lat,
        ${packed('x', 'cell')} as x, ${packed('y', 'cell')} as y
      from (select cell, inhabitants, lon, lat, x, y from population_cells
        where res = ${res} and cell > ${after} order by cell limit ${PAGE_CELLS}) page`.execute(db)
    const c = page.rows[0]
    const inhabitants = unpackFloats(c?.inhabitants)
    if (inhabitants.length === 0) break
    const ids = codes(c?.cell, inhabitants.length)
    const last = ids[ids.length - 1] as string
    cells.cell.push(...ids)
    cells.numbers.push([
      inhabitants,
      ...(['lon', 'lat', 'x', 'y'] as const).map((k) => unpackFloats(c?.[k])),
    ])
    await nextTurn()
    const order = 'cell, unit_code, pc4_code'
    const parts = await sql<
      Record<'cell' | 'unit' | 'gemeente' | 'wijk' | 'buurt' | 'pc4', string> & {
        inhabitants: Uint8Array | null
      }
    >`
      select ${text('cell', order)} as cell, ${text('unit_code', order)} as unit,
        ${text('gemeente_code', order)} as gemeente, ${text('wijk_code', order)} as wijk,
        ${text('buurt_code', order)} as buurt, ${text('pc4_code', order)} as pc4,
        ${packed('inhabitants', order)} as inhabitants
      from population_portions where res = ${res} and cell > ${after} and cell <= ${last}`.execute(
      db,
    )
    const p = parts.rows[0]
    const portionInhabitants = unpackFloats(p?.inhabitants)
    const m = portionInhabitants.length
    portions.inhabitants.push(portionInhabitants)
    portions.codes.push(
      (['cell', 'unit', 'gemeente', 'wijk', 'buurt', 'pc4'] as const).map((k) => codes(p?.[k], m)),
    )
    after = last
  }
  const column = (i: number) => concatFloats(cells.numbers.map((page) => page[i] as Float64Array))
  const code = (i: number) => portions.codes.flatMap((page) => page[i] as string[])
  return {
    cells: {
      cell: cells.cell,
      inhabitants: column(0),
      lon: column(1),
      lat: column(2),
      x: column(3),
      y: column(4),
    },
    portions: {
      cell: code(0),
      unit: code(1),
      gemeente: orNull(code(2)),
      wijk: orNull(code(3)),
      buurt: orNull(code(4)),
      pc4: orNull(code(5)),
      inhabitants: concatFloats(portions.inhabitants),
    },
  }
}

/** Cells per page of loadSurface: about a tenth of a second of PGlite's time each. */
const PAGE_CELLS = 15_000

function concatFloats(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** float8send's big-endian doubles, one after the other (a Buffer on pg, a Uint8Array on PGlite). */
function unpackFloats(bytes: Uint8Array | null | undefined): Float64Array {
  if (!bytes) return new Float64Array(0)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Float64Array(bytes.byteLength / 8)
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8)
  return out
}
