import { sql } from 'kysely'
import type { AssetStatus } from '../domain/asset.js'
import type { AreaLevel } from '../domain/areas.js'
import type { KindCode } from '../domain/kinds.js'
import type { Crs, TimeInterval, XyBox } from '../domain/ogc.js'
import type { Executor, GeometryValue } from '../db/database.js'
import { asGeoJsonIn, boxIn4326, column } from '../db/postgis.js'
import { assetFilter, toIso } from './assets.js'

/**
 * The queries of the OGC API Features collections (services/features.ts): one page of places or
 * areas with their geometry in the asked system, how many match, and the collections' extents.
 */

/** A box to select by: x/y in the system `srid` (bbox with bbox-crs). */
export interface SpatialFilter {
  readonly box: XyBox
  readonly srid: number
}

export interface Page {
  readonly limit: number
  readonly offset: number
}

/** The fields of a place anyone may see (never contact details or who changed it). */
export interface PublicPlace {
  readonly id: string
  readonly name: string
  readonly kind: string
  readonly is_meeting_place: boolean
  readonly address: string | null
  readonly description: string | null
  readonly organisation: string | null
  readonly target_groups: readonly string[]
  readonly activities: readonly string[]
  readonly opening_hours: string | null
  readonly wheelchair: string
  readonly free_entry: boolean | null
  readonly capacity: number | null
  readonly status: string
  readonly location_precision: string
  readonly source: string
  readonly gemeente_code: string | null
  readonly wijk_code: string | null
  readonly buurt_code: string | null
  readonly pc4_code: string | null
  readonly verified_at: string | null
  readonly created_at: string
  readonly updated_at: string
  /** GeoJSON geometry text, in the asked system. */
  readonly geometry: string
}

export interface PlaceQuery {
  readonly kinds?: readonly KindCode[] | undefined
  readonly statuses?: readonly AssetStatus[] | undefined
  readonly gemeente?: string | undefined
  readonly within?: SpatialFilter | undefined
  /** Last change (updated_at) within this interval. */
  readonly changed?: TimeInterval | undefined
}

const PUBLIC_PLACE_COLUMNS = [
  'id',
  'name',
  'kind',
  'is_meeting_place',
  'address',
  'description',
  'organisation',
  'target_groups',
  'activities',
  'opening_hours',
  'wheelchair',
  'free_entry',
  'capacity',
  'status',
  'location_precision',
  'source',
  'gemeente_code',
  'wijk_code',
  'buurt_code',
  'pc4_code',
  'verified_at',
  'created_at',
  'updated_at',
] as const

function livePlaces(db: Executor, q: PlaceQuery) {
  let query = db.selectFrom('assets').where((eb) =>
    assetFilter(eb, {
      kinds: q.kinds,
      statuses: q.statuses,
      gemeente: q.gemeente,
    }),
  )
  if (q.within) {
    const box = boxIn4326(q.within.box, q.within.srid)
    query = query.where(sql<boolean>`ST_Intersects(geom, ${box})`, '=', true)
  }
  const { from, to } = q.changed ?? { from: null, to: null }
  if (from) query = query.where('updated_at', '>=', from)
  if (to) query = query.where('updated_at', '<=', to)
  return query
}

/** One page of live places (ordered by id) and how many match in all. */
export async function findPublicPlaces(
  db: Executor,
  q: PlaceQuery,
  crs: Crs,
  page: Page,
): Promise<{ places: PublicPlace[]; matched: number }> {
  const [rows, count] = await Promise.all([
    livePlaces(db, q)
      .select(PUBLIC_PLACE_COLUMNS)
      .select(asGeoJsonIn(column('geom'), crs).as('geometry'))
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    livePlaces(db, q)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { places: rows.map(toPlace), matched: Number(count.n) }
}

/** One live place, or undefined. */
export async function findPublicPlace(
  db: Executor,
  id: string,
  crs: Crs,
): Promise<PublicPlace | undefined> {
  const row = await db
    .selectFrom('assets')
    .select(PUBLIC_PLACE_COLUMNS)
    .select(asGeoJsonIn(column('geom'), crs).as('geometry'))
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return row && toPlace(row)
}

type PlaceRow = Omit<PublicPlace, 'verified_at' | 'created_at' | 'updated_at'> & {
  verified_at: Date | string | null
  created_at: Date | string
  updated_at: Date | string
}

function toPlace(row: PlaceRow): PublicPlace {
  return {
    ...row,
    verified_at: row.verified_at ? toIso(row.verified_at) : null,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  }
}

/** An area's own fields and its outline in the asked system. */
export interface AreaOutline {
  readonly code: string
  readonly name: string
  readonly level: AreaLevel
  readonly gemeente_code: string | null
  readonly parent_code: string | null
  readonly inhabitants: number | null
  readonly inhabitants_year: number | null
  readonly source: string
  readonly geometry: string
}

export interface AreaQuery {
  readonly level: AreaLevel
  readonly gemeente?: string | undefined
  readonly within?: SpatialFilter | undefined
  readonly code?: string | undefined
}

function areasOf(db: Executor, q: AreaQuery) {
  let query = db.selectFrom('areas').where('level', '=', q.level)
  if (q.gemeente) query = query.where('gemeente_code', '=', q.gemeente)
  if (q.code) query = query.where('code', '=', q.code)
  if (q.within) {
    const box = boxIn4326(q.within.box, q.within.srid)
    query = query.where(sql<boolean>`ST_Intersects(geom, ${box})`, '=', true)
  }
  return query
}

const AREA_COLUMNS = [
  'code',
  'name',
  'level',
  'gemeente_code',
  'parent_code',
  'inhabitants',
  'inhabitants_year',
  'source',
] as const

/** One page of areas of a level (ordered by code) and how many match in all. */
export async function findAreaOutlines(
  db: Executor,
  q: AreaQuery,
  crs: Crs,
  page: Page,
): Promise<{ areas: AreaOutline[]; matched: number }> {
  const [rows, count] = await Promise.all([
    areasOf(db, q)
      .select(AREA_COLUMNS)
      .select(asGeoJsonIn(column('geom'), crs).as('geometry'))
      .orderBy('code')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    areasOf(db, q)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return {
    areas: rows.map((r) => ({ ...r, level: r.level })),
    matched: Number(count.n),
  }
}

/** The lon/lat box of the live places, or of a level's areas; null when there are none. */
export async function extentOf(
  db: Executor,
  of: { places: true } | { level: AreaLevel },
): Promise<XyBox | null> {
  const row =
    'places' in of
      ? await db
          .selectFrom('assets')
          .select(sql<string | null>`ST_Extent(geom)::text`.as('box'))
          .where('deleted_at', 'is', null)
          .executeTakeFirst()
      : await db
          .selectFrom('areas')
          .select(sql<string | null>`ST_Extent(geom)::text`.as('box'))
          .where('level', '=', of.level)
          .executeTakeFirst()
  const m = /BOX\(([-\d.e]+) ([-\d.e]+),([-\d.e]+) ([-\d.e]+)\)/i.exec(row?.box ?? '')
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : null
}

/** First and last change of the live places (their temporal extent); nulls when none. */
export async function placeTimeExtent(
  db: Executor,
): Promise<{ first: string | null; last: string | null }> {
  const row = await db
    .selectFrom('assets')
    .select((eb) => [eb.fn.min('updated_at').as('first'), eb.fn.max('updated_at').as('last')])
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()
  return {
    first: row.first ? toIso(row.first) : null,
    last: row.last ? toIso(row.last) : null,
  }
}

/** GeoJSON geometries in EPSG:4326 (lon/lat), reprojected by PostGIS into `crs`. */
export async function reprojectGeoJson(
  db: Executor,
  geometries: readonly string[],
  crs: Crs,
): Promise<string[]> {
  if (geometries.length === 0 || crs.srid === 4326) return [...geometries]
  const source = sql<GeometryValue>`ST_SetSRID(ST_GeomFromGeoJSON(g.text), 4326)`
  const { rows } = await sql<{ geometry: string }>`
    select ${asGeoJsonIn(source, crs)} as geometry
    from unnest(${sql.val(geometries)}::text[]) with ordinality as g(text, n)
    order by g.n`.execute(db)
  return rows.map((r) => r.geometry)
}

/** An x/y box in `srid` as the lon/lat box around it. */
export async function boxToLonLat(db: Executor, within: SpatialFilter): Promise<XyBox> {
  const { rows } = await sql<{ w: number; s: number; e: number; n: number }>`
    select ST_XMin(b) as w, ST_YMin(b) as s, ST_XMax(b) as e, ST_YMax(b) as n
    from (select ${boxIn4326(within.box, within.srid)} as b) as t`.execute(db)
  const r = rows[0] as { w: number; s: number; e: number; n: number }
  return [Number(r.w), Number(r.s), Number(r.e), Number(r.n)]
}
