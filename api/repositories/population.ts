import { sql } from 'kysely'
import type { AreaLevel } from '../domain/areas.js'
import type { Surface, SurfaceResolution } from '../domain/surface.js'
import { jsonb } from '../db/postgis.js'
import { toIso, type Executor } from './assets.js'

/** Rows per insert statement: 9 columns × 4,000 stays under the 65,535 bind parameters. */
const ROWS = 4000

export interface DataVersion {
  readonly assets: number
  readonly areas: number
  readonly network: number
}

/** The counters every change to assets or areas bumps (statement triggers). */
export async function dataVersion(db: Executor): Promise<DataVersion> {
  const row = await db
    .selectFrom('data_version')
    .select(['assets', 'areas', 'network'])
    .executeTakeFirstOrThrow()
  return { assets: Number(row.assets), areas: Number(row.areas), network: Number(row.network) }
}

/** Areas of one level with a known count, as GeoJSON, for spreading. */
export async function areasWithInhabitants(db: Executor, level: AreaLevel) {
  const rows = await db
    .selectFrom('areas')
    .select([
      'code',
      'inhabitants',
      'inhabitants_year',
      'source',
      sql<string>`ST_AsGeoJSON(geom)`.as('geometry'),
    ])
    .where('level', '=', level)
    .where('inhabitants', 'is not', null)
    .orderBy('code')
    .execute()
  return rows.map((r) => ({
    code: r.code,
    inhabitants: r.inhabitants as number,
    year: r.inhabitants_year,
    source: r.source,
    geometry: JSON.parse(r.geometry) as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
  }))
}

/** How many areas of each level have an inhabitants count. */
export async function levelsWithInhabitants(db: Executor): Promise<Map<AreaLevel, number>> {
  const rows = await db
    .selectFrom('areas')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('inhabitants', 'is not', null)
    .groupBy('level')
    .execute()
  return new Map(rows.map((r) => [r.level, Number(r.n)]))
}

export interface SurfaceMeta {
  readonly source_level: AreaLevel
  readonly sources: readonly { source: string; year: number | null; areas: number }[]
  readonly inhabitants: number
  readonly areas_version: number
  readonly built_at: string
}

/** Replaces the stored surface: cells and portions per resolution, and what it was built from. */
export async function replaceSurface(
  db: Executor,
  surfaces: readonly Surface[],
  meta: SurfaceMeta,
): Promise<void> {
  await db.deleteFrom('population_portions').execute()
  await db.deleteFrom('population_cells').execute()
  await db.deleteFrom('population_meta').execute()
  for (const surface of surfaces) {
    for (let i = 0; i < surface.cells.length; i += ROWS) {
      await db
        .insertInto('population_cells')
        .values(surface.cells.slice(i, i + ROWS).map((c) => ({ res: surface.res, ...c })))
        .execute()
    }
    for (let i = 0; i < surface.portions.length; i += ROWS) {
      await db
        .insertInto('population_portions')
        .values(
          surface.portions.slice(i, i + ROWS).map((p) => ({
            res: surface.res,
            cell: p.cell,
            area_code: p.area,
            inhabitants: p.inhabitants,
          })),
        )
        .execute()
    }
  }
  await db
    .insertInto('population_meta')
    .values({ id: 1, ...meta, sources: jsonb(meta.sources), built_at: meta.built_at })
    .execute()
}

/**
 * Fills each portion's area codes. Codes on the source area's own chain (its gemeente, and for a
 * buurt its wijk) come from the source area, so they are exact; other levels are found by the
 * cell's populated centre.
 */
export async function assignPortionCodes(db: Executor, sourceLevel: AreaLevel): Promise<void> {
  const containing = (level: AreaLevel) =>
    sql<string | null>`(select a.code from areas a where a.level = ${level}
      and ST_Intersects(a.geom, (select ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) from population_cells c
        where c.res = population_portions.res and c.cell = population_portions.cell))
      order by a.code limit 1)`
  const own = (column: 'gemeente_code' | 'parent_code') =>
    sql<
      string | null
    >`(select s.${sql.ref(column)} from areas s where s.code = population_portions.area_code)`
  await db
    .updateTable('population_portions')
    .set({
      gemeente_code: sourceLevel === 'gemeente' ? sql.ref('area_code') : own('gemeente_code'),
      wijk_code:
        sourceLevel === 'wijk'
          ? sql.ref('area_code')
          : sourceLevel === 'buurt'
            ? own('parent_code')
            : containing('wijk'),
      buurt_code: sourceLevel === 'buurt' ? sql.ref('area_code') : containing('buurt'),
      pc4_code: sourceLevel === 'pc4' ? sql.ref('area_code') : containing('pc4'),
    })
    .execute()
}

export async function surfaceMeta(db: Executor): Promise<SurfaceMeta | undefined> {
  const row = await db.selectFrom('population_meta').selectAll().executeTakeFirst()
  if (!row) return undefined
  return {
    source_level: row.source_level as AreaLevel,
    sources: row.sources as SurfaceMeta['sources'],
    inhabitants: row.inhabitants,
    areas_version: Number(row.areas_version),
    built_at: toIso(row.built_at),
  }
}

/** One stored resolution: the cells, and the portions with their area codes. */
export async function loadSurface(db: Executor, res: SurfaceResolution) {
  const cells = await db
    .selectFrom('population_cells')
    .select(['cell', 'inhabitants', 'lon', 'lat', 'x', 'y'])
    .where('res', '=', res)
    .orderBy('cell')
    .execute()
  const portions = await db
    .selectFrom('population_portions')
    .select([
      'cell',
      'area_code',
      'inhabitants',
      'gemeente_code',
      'wijk_code',
      'buurt_code',
      'pc4_code',
    ])
    .where('res', '=', res)
    .orderBy('cell')
    .orderBy('area_code')
    .execute()
  return { cells, portions }
}
