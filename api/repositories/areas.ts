import { sql, type Selectable } from 'kysely'
import type { AreasTable } from '../db/database.js'
import type { Area, AreaInput, AreaLevel } from '../domain/areas.js'
import {
  asGeoJson,
  intersectsBbox,
  isValid,
  multiPolygonFromGeoJson,
  pointFromLonLat,
} from '../db/postgis.js'
import type { Bbox } from '../domain/geo.js'
import { toIso } from './assets.js'
import type { Executor } from '../db/database.js'

const COLUMNS = [
  'code',
  'level',
  'name',
  'gemeente_code',
  'parent_code',
  'inhabitants',
  'inhabitants_year',
  'source',
  'imported_at',
] as const

type AreaRow = Omit<Selectable<AreasTable>, 'geom'>

function toArea(row: AreaRow): Area {
  return {
    ...row,
    imported_at: toIso(row.imported_at),
  }
}

/** Inserts or replaces areas by code. Returns the codes whose geometry PostGIS finds invalid. */
export async function upsertAreas(
  db: Executor,
  areas: readonly AreaInput[],
  at: Date,
): Promise<string[]> {
  for (const area of areas) {
    const { geometry, ...rest } = area
    const values = { ...rest, geom: multiPolygonFromGeoJson(geometry), imported_at: at }
    await db
      .insertInto('areas')
      .values(values)
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .execute()
  }
  const codes = areas.map((a) => a.code)
  if (codes.length === 0) return []
  const invalid = await db
    .selectFrom('areas')
    .select('code')
    .where('code', 'in', codes)
    .where(isValid('geom'), '=', false)
    .execute()
  return invalid.map((r) => r.code)
}

/** Stores counts per area and year (a newer count of a year replaces the older one). */
export async function upsertCounts(
  db: Executor,
  counts: readonly { code: string; year: number; inhabitants: number; source: string }[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < counts.length; i += 1000) {
    const values = counts.slice(i, i + 1000).map((c) => ({ ...c, imported_at: at }))
    await db
      .insertInto('area_counts')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['code', 'year']).doUpdateSet((eb) => ({
          inhabitants: eb.ref('excluded.inhabitants'),
          source: eb.ref('excluded.source'),
          imported_at: eb.ref('excluded.imported_at'),
        })),
      )
      .execute()
  }
}

/** Which of these codes are loaded areas. */
export async function knownCodes(db: Executor, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set()
  const rows = await db
    .selectFrom('areas')
    .select('code')
    .where('code', 'in', [...new Set(codes)])
    .execute()
  return new Set(rows.map((r) => r.code))
}

/** Fills PC4 areas' gemeente from the gemeente that holds their point on surface. */
export async function assignPc4Gemeenten(db: Executor): Promise<void> {
  await db
    .updateTable('areas')
    .set({
      gemeente_code: sql<string | null>`(select g.code from areas g where g.level = 'gemeente'
        and ST_Intersects(g.geom, ST_PointOnSurface(areas.geom)) order by g.code limit 1)`,
    })
    .where('level', '=', 'pc4')
    .where('gemeente_code', 'is', null)
    .execute()
}

export async function listAreas(
  db: Executor,
  filter: { level?: AreaLevel | undefined; gemeente?: string | undefined; bbox?: Bbox | undefined },
): Promise<(Area & { geometry: string })[]> {
  let query = db.selectFrom('areas').select(COLUMNS).select(asGeoJson('geom', 6).as('geometry'))
  if (filter.level) query = query.where('level', '=', filter.level)
  if (filter.gemeente) query = query.where('gemeente_code', '=', filter.gemeente)
  if (filter.bbox) query = query.where(intersectsBbox('geom', filter.bbox), '=', true)
  const rows = await query.orderBy('code').execute()
  return rows.map((r) => ({ ...toArea(r), geometry: r.geometry }))
}

/** One area with its geometry, land area (km², computed in RD New) and live asset counts. */
export async function getArea(db: Executor, code: string) {
  const row = await db
    .selectFrom('areas')
    .select(COLUMNS)
    .select([
      asGeoJson('geom', 6).as('geometry'),
      sql<number>`ST_Area(ST_Transform(geom, 28992)) / 1e6`.as('area_km2'),
    ])
    .where('code', '=', code)
    .executeTakeFirst()
  if (!row) return undefined
  const column = {
    gemeente: 'gemeente_code',
    wijk: 'wijk_code',
    buurt: 'buurt_code',
    pc4: 'pc4_code',
  } as const
  const counts = await db
    .selectFrom('assets')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where(column[row.level], '=', code)
    .where('deleted_at', 'is', null)
    .where('status', '=', 'active')
    .groupBy('kind')
    .orderBy('kind')
    .execute()
  return {
    ...toArea(row),
    geometry: row.geometry,
    area_km2: Math.round(Number(row.area_km2) * 1000) / 1000,
    active_assets_by_kind: Object.fromEntries(counts.map((c) => [c.kind, Number(c.n)])),
  }
}

/** Whether any CBS area is loaded (the web app offers to load a region when none is). */
export async function hasAreas(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('areas').select('code').limit(1).executeTakeFirst()
  return row !== undefined
}

/** The areas of one level for a map (the report's): name and outline simplified to about 10 m. */
export async function areaOutlines(
  db: Executor,
  filter: { level: AreaLevel; gemeente?: string | undefined; parent?: string | undefined },
): Promise<{ code: string; name: string; geometry: string }[]> {
  let query = db
    .selectFrom('areas')
    .select(['code', 'name'])
    .select(sql<string>`ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0001), 5)`.as('geometry'))
    .where('level', '=', filter.level)
  if (filter.gemeente) query = query.where('gemeente_code', '=', filter.gemeente)
  if (filter.parent) query = query.where('parent_code', '=', filter.parent)
  return query.orderBy('code').execute()
}

/** The areas (every level) that hold a point, finest last: gemeente, wijk, buurt, PC4. */
export async function areasAt(
  db: Executor,
  lon: number,
  lat: number,
): Promise<{ code: string; name: string; level: AreaLevel }[]> {
  const rows = await db
    .selectFrom('areas')
    .select(['code', 'name', 'level'])
    .where(sql<boolean>`ST_Intersects(geom, ${pointFromLonLat(lon, lat)})`, '=', true)
    .orderBy('code')
    .execute()
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level }))
}
