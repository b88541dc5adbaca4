import { CompiledQuery } from 'kysely'
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
  type TileAddress,
  type TileFeature,
  type TileValue,
} from '../domain/tiles.js'
import type { AssetFilter } from './assets.js'
import type { Executor } from '../db/database.js'

/**
 * The SQL of vector tiles. Both backends select the same features in tile coordinates with the
 * same SQL; PostgreSQL encodes them with `ST_AsMVT` in that one statement, embedded PGlite (whose
 * PostGIS is built without protobuf) returns them as rows for the tile service to encode.
 */

/** A query in PostgreSQL's own form ($1, $2 … placeholders), runnable by postgres.js `unsafe()`. */
export interface TileQuery {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

/** Rows past this many mark a tile as over the feature cap; the query stops reading there. */
export const MAX_TILE_FEATURES = 20_000

/** Collects bound parameters; each comes back as a typed placeholder. */
class Params {
  readonly values: unknown[] = []
  add(value: unknown, type: string): string {
    this.values.push(value)
    return `$${this.values.length}::${type}`
  }
}

const envelope = (p: Params, [w, s, e, n]: Bbox) =>
  `ST_MakeEnvelope(${p.add(w, 'float8')}, ${p.add(s, 'float8')}, ${p.add(e, 'float8')}, ${p.add(n, 'float8')}, 4326)`

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c)
}

/** The filter of GET /api/assets (repositories/assets.ts `applyFilter`), as SQL on alias `a`. */
function assetConditions(p: Params, filter: AssetFilter, area: Bbox): string {
  const where = ['a.deleted_at is null', `a.geom && ${envelope(p, area)}`]
  if (filter.bbox) where.push(`a.geom && ${envelope(p, filter.bbox)}`)
  if (filter.kinds?.length) where.push(`a.kind = any(${p.add(filter.kinds, 'text[]')})`)
  if (filter.statuses?.length) where.push(`a.status = any(${p.add(filter.statuses, 'text[]')})`)
  if (filter.gemeente) where.push(`a.gemeente_code = ${p.add(filter.gemeente, 'text')}`)
  if (filter.q) {
    const pattern = p.add(`%${escapeLike(filter.q)}%`, 'text')
    where.push(
      `(a.name ilike ${pattern} or a.description ilike ${pattern} or a.organisation ilike ${pattern} or a.address ilike ${pattern})`,
    )
  }
  return where.join(' and ')
}

/** The day an asset was last checked (verified, else created), as YYYY-MM-DD in UTC. */
const checkedDay = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`

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

/**
 * Asset features of one tile as rows (x, y in whole tile units, then the properties). Points:
 * every asset within the tile and its buffer, rounded as ST_AsMVTGeom rounds. Clusters: assets
 * grouped on a grid of `cellUnits` aligned to the tile, so a cluster belongs to exactly one tile
 * at every zoom; each sits at its members' mean position (floored, so it never crosses into the
 * next tile), with the counts. A cluster of one is the asset itself. Buffer clusters of the
 * neighbouring tiles are complete too (the query reads whole grid cells around the tile).
 */
function assetRowsSql(p: Params, tile: TileAddress, filter: AssetFilter, shape: AssetShape) {
  const box = tileBox(tile)
  const margin =
    shape.kind === 'points' ? BUFFER : shape.cellUnits * Math.ceil(BUFFER / shape.cellUnits)
  const area = boxToLonLat(growBox(box, margin, tile.z))
  const k = p.add(1 / unitSize(tile.z), 'float8')
  const minX = p.add(box.minX, 'float8')
  const maxY = p.add(box.maxY, 'float8')
  // Web Mercator (EPSG:3857, a sphere of 6,378,137 m) written out: the same numbers as
  // ST_Transform(geom, 3857), at a fraction of its cost per point.
  const tx = `(6378137 * radians(ST_X(a.geom)) - ${minX}) * ${k}`
  const ty = `(${maxY} - 6378137 * ln(tan(pi() / 4 + radians(ST_Y(a.geom)) / 2))) * ${k}`
  const where = assetConditions(p, filter, area)
  const lo = -BUFFER
  const hi = EXTENT + BUFFER
  if (shape.kind === 'points') {
    return `select round(tx) as x, round(ty) as y, id, name, kind, is_meeting_place, status, checked
      from (
        select a.id::text as id, a.name, a.kind, a.is_meeting_place, a.status,
          ${checkedDay('coalesce(a.verified_at, a.created_at)')} as checked, ${tx} as tx, ${ty} as ty
        from assets a where ${where}
      ) p
      where round(tx) between ${lo} and ${hi} and round(ty) between ${lo} and ${hi}
      order by id limit ${MAX_TILE_FEATURES + 1}`
  }
  const cell = shape.cellUnits
  const many = (column: string) => `case when c.n > 1 then ${column} end`
  // MapLibre's own cluster label: 950, 1.2k, 15k.
  const abbreviated = `case when c.n >= 10000 then round(c.n / 1000.0)::int::text || 'k'
      when c.n >= 1000 then (round(c.n / 100.0) / 10)::float8::text || 'k' else c.n::text end`
  // Clusters carry counts only; a cluster of one takes its asset's properties by id.
  return `with p as materialized (
      select a.id, a.is_meeting_place, ${tx} as tx, ${ty} as ty from assets a where ${where}
    ), c as (
      select floor(tx / ${cell}) as cx, floor(ty / ${cell}) as cy, count(*)::int as n,
        (count(*) filter (where is_meeting_place))::int as mp, avg(tx) as ax, avg(ty) as ay,
        max(id::text) as id
      from p
      where tx >= ${-margin} and tx < ${EXTENT + margin} and ty >= ${-margin} and ty < ${EXTENT + margin}
      group by 1, 2
    )
    select floor(c.ax) as x, floor(c.ay) as y,
      ${many('true')} as cluster, ${many('c.n')} as point_count,
      ${many(abbreviated)} as point_count_abbreviated, ${many('c.mp')} as meeting_places,
      s.id::text as id, s.name, s.kind, s.is_meeting_place, s.status,
      ${checkedDay('coalesce(s.verified_at, s.created_at)')} as checked
    from c left join assets s on c.n = 1 and s.id = c.id::uuid
    where floor(c.ax) >= ${lo} and floor(c.ax) < ${hi} and floor(c.ay) >= ${lo} and floor(c.ay) < ${hi}
    order by c.cy, c.cx limit ${MAX_TILE_FEATURES + 1}`
}

/** Wraps feature rows into one `ST_AsMVT` statement that also counts them and reads the version. */
function mvtSql(
  rows: string,
  layer: string,
  extent: number,
  columns: readonly string[],
  geom: string,
) {
  const version = layer === 'areas' ? 'areas' : 'assets'
  return `select coalesce(ST_AsMVT(t, '${layer}', ${extent}, 'geom'), ''::bytea) as mvt,
      count(*)::int as features, (select ${version} from data_version where id = 1) as version
    from (select ${geom} as geom, ${columns.join(', ')} from (${rows}) r) t`
}

/**
 * The PostgreSQL statement that makes an asset tile: `ST_AsMVT` over the features of
 * `assetRowsSql`, with the feature count (capped at MAX_TILE_FEATURES + 1) and the assets data
 * version read in the same snapshot. Exported so the benchmark runs exactly what the service runs.
 */
export function postgresAssetTileSql(
  tile: TileAddress,
  filter: AssetFilter = {},
  shape: AssetShape = assetShapes(tile.z)[0] as AssetShape,
): TileQuery {
  const p = new Params()
  const rows = assetRowsSql(p, tile, filter, shape)
  return {
    sql: mvtSql(rows, 'assets', EXTENT, assetColumns(shape), 'ST_MakePoint(r.x, r.y)'),
    parameters: p.values,
  }
}

export interface AreaTileFilter {
  readonly level: AreaLevel
  readonly gemeente?: string | undefined
  readonly bbox?: Bbox | undefined
}

function areaConditions(p: Params, filter: AreaTileFilter, area: Bbox): string {
  const where = [`level = ${p.add(filter.level, 'text')}`, `geom && ${envelope(p, area)}`]
  if (filter.gemeente) where.push(`gemeente_code = ${p.add(filter.gemeente, 'text')}`)
  if (filter.bbox) where.push(`geom && ${envelope(p, filter.bbox)}`)
  return where.join(' and ')
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
): TileQuery {
  const p = new Params()
  const box = tileBox(tile)
  const buffer = Math.round((BUFFER * extent) / EXTENT)
  const area = boxToLonLat(growBox(box, BUFFER, tile.z))
  const bounds = `ST_MakeEnvelope(${p.add(box.minX, 'float8')}, ${p.add(box.minY, 'float8')}, ${p.add(box.maxX, 'float8')}, ${p.add(box.maxY, 'float8')}, 3857)`
  const rows = `select * from (
      select ${AREA_COLUMNS.join(', ')},
        ST_AsMVTGeom(ST_Transform(geom, 3857), ${bounds}, ${extent}, ${buffer}, true) as g
      from areas where ${areaConditions(p, filter, area)}
    ) s where g is not null order by code limit ${MAX_TILE_FEATURES + 1}`
  return { sql: mvtSql(rows, 'areas', extent, AREA_COLUMNS, 'r.g'), parameters: p.values }
}

/** The result of a PostgreSQL tile statement. */
export interface EncodedTile {
  readonly bytes: Uint8Array
  readonly features: number
  readonly version: number
}

/** Runs a tile statement on PostgreSQL (ST_AsMVT). */
export async function runTileQuery(db: Executor, query: TileQuery): Promise<EncodedTile> {
  const result = await db.executeQuery<{ mvt: Uint8Array; features: number; version: number }>(
    CompiledQuery.raw(query.sql, [...query.parameters]),
  )
  const row = result.rows[0]
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
  const p = new Params()
  const rows = assetRowsSql(p, tile, filter, shape)
  const columns = assetColumns(shape)
  return readWithVersion(db, 'assets', CompiledQuery.raw(rows, p.values), (row) => ({
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
  const p = new Params()
  const box = tileBox(tile)
  const grown = growBox(box, BUFFER, tile.z)
  const area = boxToLonLat(grown)
  const clip = `ST_MakeEnvelope(${p.add(grown.minX, 'float8')}, ${p.add(grown.minY, 'float8')}, ${p.add(grown.maxX, 'float8')}, ${p.add(grown.maxY, 'float8')}, 3857)`
  const tolerance = p.add(unitSize(tile.z, extent) / 2, 'float8')
  const k = 1 / unitSize(tile.z, extent)
  const toTile = `${p.add(k, 'float8')}, 0, 0, ${p.add(-k, 'float8')}, ${p.add(-box.minX * k, 'float8')}, ${p.add(box.maxY * k, 'float8')}`
  const simplified = `ST_Simplify(ST_RemoveRepeatedPoints(ST_Transform(geom, 3857), ${tolerance}), ${tolerance})`
  const snapped = `ST_SnapToGrid(ST_Affine(ST_ClipByBox2D(${simplified}, ${clip}), ${toTile}), 1)`
  const repaired = `ST_CollectionExtract(ST_MakeValid(${snapped}, 'method=structure keepcollapsed=false'), 3)`
  const rows = `select ${AREA_COLUMNS.join(', ')}, ST_AsGeoJSON(${repaired}, 2) as g
    from areas where ${areaConditions(p, filter, area)} order by code`
  return readWithVersion(db, 'areas', CompiledQuery.raw(rows, p.values), (row) => {
    const polygons = row['g'] ? polygonsOf(JSON.parse(row['g'] as string) as Polygonal) : []
    return {
      type: 'polygon',
      rings: polygonsToTileRings(polygons),
      properties: propertiesOf(row, AREA_COLUMNS),
    }
  })
}

async function readVersion(db: Executor, column: 'assets' | 'areas'): Promise<number> {
  const result = await db.executeQuery<{ v: number }>(
    CompiledQuery.raw(`select ${column} as v from data_version where id = 1`, []),
  )
  return Number(result.rows[0]?.v)
}

async function readWithVersion(
  db: Executor,
  column: 'assets' | 'areas',
  query: CompiledQuery,
  toFeature: (row: Record<string, unknown>) => TileFeature,
): Promise<TileRows> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.executeQuery<Record<string, unknown>>(query)
    const version = await readVersion(trx, column)
    return { features: result.rows.map(toFeature), version }
  })
}
