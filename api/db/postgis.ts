import { sql, type RawBuilder } from 'kysely'
import type { GeometryValue, JsonbValue } from './database.js'

/**
 * Typed PostGIS expressions: the one place that writes spatial SQL. Geometry is stored in
 * EPSG:4326; metric work transforms to RD New (EPSG:28992), never Web Mercator.
 */

/** A point in EPSG:4326 from longitude/latitude degrees. */
export function pointFromLonLat(lon: number, lat: number): RawBuilder<GeometryValue> {
  return sql<GeometryValue>`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`
}

/** A MultiPolygon in EPSG:4326 from a GeoJSON geometry (Polygon or MultiPolygon). */
export function multiPolygonFromGeoJson(geometry: unknown): RawBuilder<GeometryValue> {
  return sql<GeometryValue>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}::text), 4326))`
}

/** A jsonb value, passed as text so both drivers send it the same way (no double encoding). */
export function jsonb(value: unknown): RawBuilder<JsonbValue> {
  return sql<JsonbValue>`cast(${JSON.stringify(value)}::text as jsonb)`
}

/** Longitude of a point column. */
export function lonOf(column: string): RawBuilder<number> {
  return sql<number>`ST_X(${sql.ref(column)})`
}

/** Latitude of a point column. */
export function latOf(column: string): RawBuilder<number> {
  return sql<number>`ST_Y(${sql.ref(column)})`
}

/** A geometry column as a GeoJSON text (RFC 7946), coordinates rounded to `decimals`. */
export function asGeoJson(column: string, decimals = 7): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(${sql.ref(column)}, ${sql.lit(decimals)})`
}

/**
 * A geometry (stored in EPSG:4326) as GeoJSON text in another system, reprojected by PostGIS
 * (ST_Transform, PROJ). `latFirst` swaps the axes for a system whose first axis is latitude
 * (EPSG:4258), as OGC API Features Part 2 asks; GeoJSON of CRS84 and RD New stays x, y.
 */
export function asGeoJsonIn(
  geometry: RawBuilder<GeometryValue>,
  crs: { srid: number; latFirst: boolean; decimals: number },
): RawBuilder<string> {
  const moved = crs.srid === 4326 ? geometry : sql`ST_Transform(${geometry}, ${sql.lit(crs.srid)})`
  const axes = crs.latFirst ? sql`ST_FlipCoordinates(${moved})` : moved
  return sql<string>`ST_AsGeoJSON(${axes}, ${sql.lit(crs.decimals)})`
}

/** A geometry column, for the helpers that take an expression. */
export function column(name: string): RawBuilder<GeometryValue> {
  return sql<GeometryValue>`${sql.ref(name)}`
}

/** An x/y box in `srid` as a polygon in EPSG:4326 (its outline's reprojection, densified). */
export function boxIn4326(
  [minX, minY, maxX, maxY]: readonly [number, number, number, number],
  srid: number,
): RawBuilder<GeometryValue> {
  const box = sql`ST_MakeEnvelope(${minX}::float8, ${minY}::float8, ${maxX}::float8, ${maxY}::float8, ${sql.lit(srid)})`
  return srid === 4326
    ? sql<GeometryValue>`${box}`
    : sql<GeometryValue>`ST_Transform(ST_Segmentize(${box}, ${sql.lit(srid === 28992 ? 100 : 0.001)}), 4326)`
}

/** True where the geometry column intersects the lon/lat box (uses the GiST index). */
export function intersectsBbox(
  column: string,
  [minLon, minLat, maxLon, maxLat]: readonly [number, number, number, number],
): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} && ST_MakeEnvelope(${minLon}::float8, ${minLat}::float8, ${maxLon}::float8, ${maxLat}::float8, 4326)`
}

/** True where the geometry column is valid (GEOS). */
export function isValid(column: string): RawBuilder<boolean> {
  return sql<boolean>`ST_IsValid(${sql.ref(column)})`
}

/** Land narrower than twice this (m) holds no homes: dikes, dams, strips along canals. */
export const NARROW_LAND_M = 50

/**
 * The parts of an area's outline once land narrower than 2 × NARROW_LAND_M is taken away (a
 * morphological opening in RD New: shrink, then grow back, by NARROW_LAND_M), each with its
 * surface and its distance to the largest part, in metres (RD New), for `habitableOutline`
 * (api/domain/habitable.ts) to choose from. The opening lies within the outline up to the arcs
 * of the buffer (centimetres); it is not intersected with it again, as PGlite's PostGIS 3.6
 * silently returns no rows at all for ST_Intersection(outline, opening).
 */
export function openedParts(level: string) {
  return sql<{
    code: string
    outline: string
    outline_m2: number
    part: string
    part_m2: number
    to_main_m: number
  }>`with parts as (
      select code, geom, ST_Area(ST_Transform(geom, 28992)) as outline_m2,
        (ST_Dump(ST_CollectionExtract(ST_MakeValid(ST_Buffer(ST_Buffer(ST_Transform(geom, 28992),
          ${sql.lit(-NARROW_LAND_M)}), ${sql.lit(NARROW_LAND_M)})), 3))).geom as p
      from areas where level = ${level}),
    ranked as (
      select *, first_value(p) over (partition by code order by ST_Area(p) desc) as main from parts)
    select code, ST_AsGeoJSON(geom, 7) as outline, outline_m2,
      ST_AsGeoJSON(ST_Transform(p, 4326), 7) as part, ST_Area(p) as part_m2,
      ST_Distance(p, main) as to_main_m
    from ranked order by code`
}
