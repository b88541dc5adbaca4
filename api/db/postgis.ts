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
