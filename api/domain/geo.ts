import proj4 from 'proj4'

/** [minLon, minLat, maxLon, maxLat] in degrees, EPSG:4326. */
export type Bbox = readonly [number, number, number, number]

/** A position [lon, lat] in degrees, EPSG:4326 (RFC 7946 axis order). */
export type LonLat = readonly [number, number]

/**
 * RD New (Amersfoort / RD New, EPSG:28992) with the 7-parameter datum shift towards WGS84 that
 * PROJ uses for this code. Accurate to about a metre, enough for asset locations.
 */
const RD_NEW =
  '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 ' +
  '+y_0=463000 +ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 ' +
  '+units=m +no_defs'

const rdToWgs84 = proj4(RD_NEW, 'WGS84')

const wgs84ToRd = proj4('WGS84', RD_NEW)

/** Converts [lon, lat] (degrees, EPSG:4326) to RD New x/y (metres, EPSG:28992). */
export function lonLatToRd(lon: number, lat: number): [number, number] {
  const [x, y] = wgs84ToRd.forward([lon, lat])
  return [x, y]
}

/** Converts RD New x/y (metres, EPSG:28992) to [lon, lat] (degrees, EPSG:4326). */
export function rdToLonLat(x: number, y: number): LonLat {
  const [lon, lat] = rdToWgs84.forward([x, y])
  return [lon, lat]
}

/** True when the RD New coordinate lies in the Netherlands' RD validity box. */
export function isPlausibleRd(x: number, y: number): boolean {
  return x >= -7000 && x <= 300000 && y >= 289000 && y <= 629000
}

/** Parses "minLon,minLat,maxLon,maxLat"; undefined when it is not four ordered, finite degrees. */
export function parseBbox(text: string): Bbox | undefined {
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length !== 4 || parts.some((p) => p === '')) return undefined
  const n = parts.map(Number)
  if (n.some((v) => !Number.isFinite(v))) return undefined
  const [minLon, minLat, maxLon, maxLat] = n as [number, number, number, number]
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) return undefined
  if (minLon >= maxLon || minLat >= maxLat) return undefined
  return [minLon, minLat, maxLon, maxLat]
}

export function bboxContains(bbox: Bbox, [lon, lat]: LonLat): boolean {
  return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3]
}

/** Rounds a position to 7 decimals (about 1 cm), the precision stored and compared. */
export function roundLonLat([lon, lat]: LonLat): LonLat {
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7]
}
