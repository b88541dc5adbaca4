/**
 * OGC API Features, Part 1 (Core) and Part 2 (Coordinate Reference Systems by Reference): the
 * coordinate reference systems offered, the conformance classes, and the parsing of the query
 * parameters whose syntax the standard fixes. Pure: no I/O, no HTTP.
 */

/** A coordinate reference system the service answers in. */
export interface Crs {
  /** Its URI, as `crs`, `bbox-crs` and `Content-Crs` name it. */
  readonly uri: string
  /** The EPSG code PostGIS reprojects with (ST_Transform). */
  readonly srid: number
  /**
   * True when the first axis is latitude (northing): EPSG:4258 (ETRS89) is latitude, longitude
   * as its definition says; CRS84 is longitude, latitude; EPSG:28992 (RD New) is x, y in metres.
   */
  readonly latFirst: boolean
  /** Decimals in an answer: 8 for degrees (about 1 mm), 3 for metres (1 mm). */
  readonly decimals: number
  readonly label: string
}

export const CRS84: Crs = {
  uri: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
  srid: 4326,
  latFirst: false,
  decimals: 8,
  label: 'WGS 84, longitude/latitude (CRS84)',
}

export const RD_NEW: Crs = {
  uri: 'http://www.opengis.net/def/crs/EPSG/0/28992',
  srid: 28992,
  latFirst: false,
  decimals: 3,
  label: 'Amersfoort / RD New (EPSG:28992), x/y in metres',
}

export const ETRS89: Crs = {
  uri: 'http://www.opengis.net/def/crs/EPSG/0/4258',
  srid: 4258,
  latFirst: true,
  decimals: 8,
  label: 'ETRS89 (EPSG:4258), latitude/longitude',
}

/** The systems offered, the default (CRS84) first, as the Dutch geospatial rules ask. */
export const CRSS: readonly Crs[] = [CRS84, RD_NEW, ETRS89]

/** Every collection is stored in WGS 84 with longitude first. */
export const STORAGE_CRS = CRS84

export function crsByUri(uri: string): Crs | undefined {
  return CRSS.find((c) => c.uri === uri)
}

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
] as const

/** A box in the axis order of its CRS: [min axis 1, min axis 2, max axis 1, max axis 2]. */
export type AxisBox = readonly [number, number, number, number]

/** A box as x (longitude or easting) and y (latitude or northing): [minX, minY, maxX, maxY]. */
export type XyBox = readonly [number, number, number, number]

/** `bbox`: four numbers, minimum before maximum on both axes; six (3D) are not offered. */
export function parseAxisBox(text: string): AxisBox | undefined {
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length !== 4 || parts.some((p) => p === '')) return undefined
  const n = parts.map(Number)
  if (n.some((v) => !Number.isFinite(v))) return undefined
  const [a, b, c, d] = n as [number, number, number, number]
  if (a >= c || b >= d) return undefined
  return [a, b, c, d]
}

/** A box in its CRS's axis order, as x/y (EPSG:4258 swaps latitude and longitude). */
export function toXy(box: AxisBox, crs: Crs): XyBox {
  const [a, b, c, d] = box
  return crs.latFirst ? [b, a, d, c] : box
}

/** A `datetime` interval: either end open (null). An instant has `from` equal to `to`. */
export interface TimeInterval {
  readonly from: Date | null
  readonly to: Date | null
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

function instant(text: string): Date | null | undefined {
  if (text === '..' || text === '') return null
  if (!RFC3339.test(text)) return undefined
  const d = new Date(text)
  return Number.isNaN(d.getTime()) ? undefined : d
}

/**
 * `datetime` (RFC 3339): an instant, or an interval `start/end` with `..` (or nothing) for an
 * open end. Undefined when it is neither, or when the interval ends before it starts.
 */
export function parseDatetime(text: string): TimeInterval | undefined {
  const parts = text.split('/')
  if (parts.length === 1) {
    const at = instant(parts[0] as string)
    return at ? { from: at, to: at } : undefined
  }
  if (parts.length !== 2) return undefined
  const from = instant(parts[0] as string)
  const to = instant(parts[1] as string)
  if (from === undefined || to === undefined || (from === null && to === null)) return undefined
  if (from && to && from.getTime() > to.getTime()) return undefined
  return { from, to }
}
