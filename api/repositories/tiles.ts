import { expressionBuilder, sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import type { AreaLevel } from '../domain/areas.js'
import type { Bbox } from '../domain/geo.js'
import {
  BUFFER,
  EXTENT,
  assetShapes,
  boxToLonLat,
  growBox,
  polygonsToTileRings,
  tileBox,
  unitSize,
  type AssetShape,
  type MercatorBox,
  type TileAddress,
  type TileFeature,
  type TileValue,
} from '../domain/tiles.js'
import { intersectsBbox } from '../db/postgis.js'
import type { DB, Executor } from '../db/database.js'
import { assetFilter, type AssetFilter } from './assets.js'

/**
 * The SQL of vector tiles. Both backends select the same features in tile coordinates with the
 * same SQL; PostgreSQL encodes them with `ST_AsMVT` in that one statement, embedded PGlite (whose
 * PostGIS is built without protobuf) returns them as rows for the tile service to encode.
 */

/** Rows past this many mark a tile as over the feature cap; the query stops reading there. */
export const MAX_TILE_FEATURES = 20_000

/** A number bound as double precision (tile arithmetic must not fall back to integers). */
const f8 = (n: number) => sql<number>`${n}::float8`

/** A Web Mercator (EPSG:3857) box. */
const mercatorEnvelope = (b: MercatorBox) =>
  sql`ST_MakeEnvelope(${f8(b.minX)}, ${f8(b.minY)}, ${f8(b.maxX)}, ${f8(b.maxY)}, 3857)`

/** Live assets that match the filter of GET /api/assets and lie in `area` (lon/lat). */
function assetConditions(filter: AssetFilter, area: Bbox): Expression<SqlBool> {
  const eb = expressionBuilder<DB, 'assets'>()
  return eb.and([intersectsBbox('geom', area), assetFilter(eb, filter)])
}

/** The day an asset was last checked (verified, else created), as YYYY-MM-DD in UTC. */
const checkedDay = (table: string) =>
  sql<string>`to_char(coalesce(${sql.ref(`${table}.verified_at`)}, ${sql.ref(`${table}.created_at`)}) at time zone 'UTC', 'YYYY-MM-DD')`

/** The properties of one asset; never contact details (tiles are public on a public map). */
const ASSET_COLUMNS = ['id', 'name', 'kind', 'is_meeting_place', 'status', 'checked'] as const
const CLUSTER_COLUMNS = [
  'cluster',
  'point_count',
  'point_count_abbreviated',
  'meeting_places',
] as const

/** Property columns of an asset tile, in the order the tile carries them. */
function assetColumns(shape: AssetShape): readonly string[] {
  return shape.kind === 'points' ? ASSET_COLUMNS : [...CLUSTER_COLUMNS, ...ASSET_COLUMNS]
}

const columnList = (columns: readonly string[]) => sql.join(columns.map((c) => sql.ref(c)))

/**
 * Asset features of one tile as rows (x, y in whole tile units, then the properties). Points:
 * every asset within the tile and its buffer, rounded as ST_AsMVTGeom rounds. Clusters: assets
 * grouped on a grid of `cellUnits` aligned to the tile, so a cluster belongs to exactly one tile
 * at every zoom; each sits at its members' mean position (floored, so it never crosses into the
 * next tile), with the counts. A cluster of one is the asset itself. Buffer clusters of the
 * neighbouring tiles are complete too (the query reads whole grid cells around the tile).
 */
function assetRows(tile: TileAddress, filter: AssetFilter, shape: AssetShape) {
  const box = tileBox(tile)
  const margin =
    shape.kind === 'points' ? BUFFER : shape.cellUnits * Math.ceil(BUFFER / shape.cellUnits)
  const where = assetConditions(filter, boxToLonLat(growBox(box, margin, tile.z)))
  const k = f8(1 / unitSize(tile.z))
  // Web Mercator (EPSG:3857, a sphere of 6,378,137 m) written out: the same numbers as
  // ST_Transform(geom, 3857), at a fraction of its cost per point.
  const tx = sql<number>`(6378137 * radians(ST_X(geom)) - ${f8(box.minX)}) * ${k}`
  const ty = sql<number>`(${f8(box.maxY)} - 6378137 * ln(tan(pi() / 4 + radians(ST_Y(geom)) / 2))) * ${k}`
  const lo = sql.lit(-BUFFER)
  const hi = sql.lit(EXTENT + BUFFER)
  const limit = sql.lit(MAX_TILE_FEATURES + 1)
  if (shape.kind === 'points') {
    return sql<Record<string, unknown>>`select round(tx) as x, round(ty) as y, id, name, kind,
        is_meeting_place, status, checked
      from (
        select id::text as id, name, kind, is_meeting_place, status,
          ${checkedDay('assets')} as checked, ${tx} as tx, ${ty} as ty
        from assets where ${where}
      ) p
      where round(tx) between ${lo} and ${hi} and round(ty) between ${lo} and ${hi}
      order by id limit ${limit}`
  }
  const cell = sql.lit(shape.cellUnits)
  const [from, to] = [sql.lit(-margin), sql.lit(EXTENT + margin)]
  const many = (value: RawBuilder<unknown>) => sql`case when c.n > 1 then ${value} end`
  // MapLibre's own cluster label: 950, 1.2k, 15k.
  const abbreviated = sql`case when c.n >= 10000 then round(c.n / 1000.0)::int::text || 'k'
      when c.n >= 1000 then (round(c.n / 100.0) / 10)::float8::text || 'k' else c.n::text end`
  // Clusters carry counts only; a cluster of one takes its asset's properties by id.
  return sql<Record<string, unknown>>`with p as materialized (
      select id, is_meeting_place, ${tx} as tx, ${ty} as ty from assets where ${where}
    ), c as (
      select floor(tx / ${cell}) as cx, floor(ty / ${cell}) as cy, count(*)::int as n,
        (count(*) filter (where is_meeting_place))::int as mp, avg(tx) as ax, avg(ty) as ay,
        max(id::text) as id
      from p
      where tx >= ${from} and tx < ${to} and ty >= ${from} and ty < ${to}
      group by 1, 2
    )
    select floor(c.ax) as x, floor(c.ay) as y,
      ${many(sql`true`)} as cluster, ${many(sql`c.n`)} as point_count,
      ${many(abbreviated)} as point_count_abbreviated, ${many(sql`c.mp`)} as meeting_places,
      s.id::text as id, s.name, s.kind, s.is_meeting_place, s.status,
      ${checkedDay('s')} as checked
    from c left join assets s on c.n = 1 and s.id = c.id::uuid
    where floor(c.ax) >= ${lo} and floor(c.ax) < ${hi} and floor(c.ay) >= ${lo} and floor(c.ay) < ${hi}
    order by c.cy, c.cx limit ${limit}`
}

/** The row of a PostgreSQL tile statement. */
export interface MvtRow {
  readonly mvt: Uint8Array
  readonly features: number
  readonly version: number
}

/** Wraps feature rows into one `ST_AsMVT` statement that also counts them and reads the version. */
function mvt(
  rows: RawBuilder<unknown>,
  layer: 'assets' | 'areas',
  extent: number,
  columns: readonly string[],
  geom: RawBuilder<unknown>,
): RawBuilder<MvtRow> {
  return sql<MvtRow>`select coalesce(ST_AsMVT(t, ${sql.lit(layer)}, ${sql.lit(extent)}, 'geom'), ''::bytea) as mvt,
      count(*)::int as features, (select ${sql.ref(layer)} from data_version where id = 1) as version
    from (select ${geom} as geom, ${columnList(columns)} from (${rows}) r) t`
}

/**
 * The PostgreSQL statement that makes an asset tile: `ST_AsMVT` over the features of
 * `assetRows`, with the feature count (capped at MAX_TILE_FEATURES + 1) and the assets data
 * version read in the same snapshot. Exported so the benchmark runs exactly what the service runs.
 */
export function postgresAssetTileSql(
  tile: TileAddress,
  filter: AssetFilter = {},
  shape: AssetShape = assetShapes(tile.z)[0] as AssetShape,
): RawBuilder<MvtRow> {
  const rows = assetRows(tile, filter, shape)
  return mvt(rows, 'assets', EXTENT, assetColumns(shape), sql`ST_MakePoint(r.x, r.y)`)
}

export interface AreaTileFilter {
  readonly level: AreaLevel
  readonly gemeente?: string | undefined
  readonly bbox?: Bbox | undefined
}

function areaConditions(filter: AreaTileFilter, area: Bbox): Expression<SqlBool> {
  const eb = expressionBuilder<DB, 'areas'>()
  const conditions: Expression<SqlBool>[] = [
    eb('level', '=', filter.level),
    intersectsBbox('geom', area),
  ]
  if (filter.gemeente) conditions.push(eb('gemeente_code', '=', filter.gemeente))
  if (filter.bbox) conditions.push(intersectsBbox('geom', filter.bbox))
  return eb.and(conditions)
}

const AREA_COLUMNS = ['code', 'name', 'inhabitants'] as const

/**
 * The PostgreSQL statement that makes an area tile with `extent` units per side: ST_AsMVTGeom
 * clips (with the buffer), snaps, simplifies and repairs each outline; ST_AsMVT encodes them.
 */
export function postgresAreaTileSql(
  tile: TileAddress,
  filter: AreaTileFilter,
  extent = EXTENT,
): RawBuilder<MvtRow> {
  const box = tileBox(tile)
  const buffer = Math.round((BUFFER * extent) / EXTENT)
  const where = areaConditions(filter, boxToLonLat(growBox(box, BUFFER, tile.z)))
  const rows = sql`select * from (
      select ${columnList(AREA_COLUMNS)}, ST_AsMVTGeom(ST_Transform(geom, 3857),
        ${mercatorEnvelope(box)}, ${sql.lit(extent)}, ${sql.lit(buffer)}, true) as g
      from areas where ${where}
    ) s where g is not null order by code limit ${sql.lit(MAX_TILE_FEATURES + 1)}`
  return mvt(rows, 'areas', extent, AREA_COLUMNS, sql`r.g`)
}

/** The result of a PostgreSQL tile statement. */
export interface EncodedTile {
  readonly bytes: Uint8Array
  readonly features: number
  readonly version: number
}

/** Runs a tile statement on PostgreSQL (ST_AsMVT). */
export async function runTileQuery(db: Executor, query: RawBuilder<MvtRow>): Promise<EncodedTile> {
  const row = (await query.execute(db)).rows[0]
  if (!row) throw new Error('tile query returned no row')
  return {
    bytes: new Uint8Array(row.mvt.buffer, row.mvt.byteOffset, row.mvt.byteLength),
    features: Number(row.features),
    version: Number(row.version),
  }
}

/** Features and the data version they were read at, for encoding outside the database. */
export interface TileRows {
  readonly features: TileFeature[]
  readonly version: number
}

const propertiesOf = (row: Record<string, unknown>, columns: readonly string[]) => {
  const properties: Record<string, TileValue> = {}
  for (const column of columns) {
    const value = row[column]
    if (value === null || value === undefined) continue
    properties[column] = typeof value === 'bigint' ? Number(value) : (value as TileValue)
  }
  return properties
}

/**
 * Asset features of one tile as rows, for PGlite: the same SQL as the PostgreSQL tile, read with
 * the data version in one transaction (PGlite runs one transaction at a time, so nothing lands
 * between the two reads).
 */
export async function assetTileRows(
  db: Executor,
  tile: TileAddress,
  filter: AssetFilter,
  shape: AssetShape,
): Promise<TileRows> {
  const columns = assetColumns(shape)
  return readWithVersion(db, 'assets', assetRows(tile, filter, shape), (row) => ({
    type: 'point',
    point: [Number(row['x']), Number(row['y'])],
    properties: propertiesOf(row, columns),
  }))
}

type Polygonal =
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] }
  | { type: 'GeometryCollection'; geometries: Polygonal[] }
  | { type: string }

/** The polygons of a GeoJSON geometry (clipping can leave a collection with lines in it). */
function polygonsOf(g: Polygonal): [number, number][][][] {
  if (g.type === 'Polygon') return [(g as { coordinates: [number, number][][] }).coordinates]
  if (g.type === 'MultiPolygon') return (g as { coordinates: [number, number][][][] }).coordinates
  if (g.type === 'GeometryCollection')
    return (g as { geometries: Polygonal[] }).geometries.flatMap(polygonsOf)
  return []
}

/**
 * Area outlines of one tile for PGlite, which has no ST_AsMVTGeom, done the way ST_AsMVTGeom
 * does them: points closer than half a tile unit merged and the outline simplified to that
 * tolerance (EPSG:3857), clipped to the tile and its buffer, moved to tile coordinates, snapped
 * to whole units and repaired (collapsed slivers dropped). Snapping and winding of the rings
 * follow in `polygonsToTileRings`. Read with the areas data version.
 */
export async function areaTileRows(
  db: Executor,
  tile: TileAddress,
  filter: AreaTileFilter,
  extent = EXTENT,
): Promise<TileRows> {
  const box = tileBox(tile)
  const grown = growBox(box, BUFFER, tile.z)
  const tolerance = f8(unitSize(tile.z, extent) / 2)
  const k = 1 / unitSize(tile.z, extent)
  const simplified = sql`ST_Simplify(ST_RemoveRepeatedPoints(ST_Transform(geom, 3857), ${tolerance}), ${tolerance})`
  const clipped = sql`ST_ClipByBox2D(${simplified}, ${mercatorEnvelope(grown)})`
  const moved = sql`ST_Affine(${clipped}, ${f8(k)}, 0, 0, ${f8(-k)}, ${f8(-box.minX * k)}, ${f8(box.maxY * k)})`
  const repaired = sql`ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(${moved}, 1), 'method=structure keepcollapsed=false'), 3)`
  const rows = sql<Record<string, unknown>>`select ${columnList(AREA_COLUMNS)},
      ST_AsGeoJSON(${repaired}, 2) as g
    from areas where ${areaConditions(filter, boxToLonLat(grown))} order by code`
  return readWithVersion(db, 'areas', rows, (row) => {
    const polygons = row['g'] ? polygonsOf(JSON.parse(row['g'] as string) as Polygonal) : []
    return {
      type: 'polygon',
      rings: polygonsToTileRings(polygons),
      properties: propertiesOf(row, AREA_COLUMNS),
    }
  })
}

async function readWithVersion(
  db: Executor,
  column: 'assets' | 'areas',
  query: RawBuilder<Record<string, unknown>>,
  toFeature: (row: Record<string, unknown>) => TileFeature,
): Promise<TileRows> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await query.execute(trx)
    const version = await trx
      .selectFrom('data_version')
      .select(column)
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
    return { features: rows.map(toFeature), version: Number(version[column]) }
  })
}
