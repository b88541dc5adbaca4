import type { Bbox } from './geo.js'

/**
 * Vector-tile geometry: the Web Mercator tile grid (EPSG:3857, XYZ scheme as MapLibre requests
 * it), tile coordinates, and the clipping, rounding and winding the MVT 2.1 specification asks of
 * the geometry inside a tile. No I/O; the encoding to protobuf happens in the tile service.
 */

/** Half the width of the Web Mercator world in metres (π × 6,378,137), as ST_TileEnvelope uses. */
export const WORLD_HALF = 20037508.342789244
const EARTH_RADIUS = 6378137

/** Tile coordinates per tile side (MVT's default `extent`). */
export const EXTENT = 4096

/** Tile units of geometry kept outside the tile, so lines and symbols cross tile edges cleanly. */
export const BUFFER = 64

/** The deepest zoom the tile grid answers; beyond a layer's maxzoom a client over-zooms. */
export const MAX_ZOOM = 22

export interface TileAddress {
  readonly z: number
  readonly x: number
  readonly y: number
}

/** A tile's box in EPSG:3857 metres. */
export interface MercatorBox {
  readonly minX: number
  readonly minY: number
  readonly maxX: number
  readonly maxY: number
}

/** True when z/x/y are integers naming a tile of the XYZ grid (x and y in 0 … 2^z − 1). */
export function isTile(t: TileAddress): boolean {
  const { z, x, y } = t
  if (![z, x, y].every(Number.isInteger) || z < 0 || z > MAX_ZOOM) return false
  const n = 2 ** z
  return x >= 0 && x < n && y >= 0 && y < n
}

/** The tile's box in EPSG:3857 (the same numbers as PostGIS `ST_TileEnvelope(z, x, y)`). */
export function tileBox({ z, x, y }: TileAddress): MercatorBox {
  const size = (2 * WORLD_HALF) / 2 ** z
  return {
    minX: -WORLD_HALF + x * size,
    maxX: -WORLD_HALF + (x + 1) * size,
    maxY: WORLD_HALF - y * size,
    minY: WORLD_HALF - (y + 1) * size,
  }
}

/** Metres (EPSG:3857) per tile unit at zoom `z` with `extent` units per tile side. */
export function unitSize(z: number, extent = EXTENT): number {
  return (2 * WORLD_HALF) / 2 ** z / extent
}

/** The box grown by `units` tile units on every side. */
export function growBox(box: MercatorBox, units: number, z: number, extent = EXTENT): MercatorBox {
  const d = units * unitSize(z, extent)
  return { minX: box.minX - d, minY: box.minY - d, maxX: box.maxX + d, maxY: box.maxY + d }
}

/** Degrees (EPSG:4326) to Web Mercator metres (EPSG:3857). */
export function lonLatToMercator(lon: number, lat: number): [number, number] {
  const x = (EARTH_RADIUS * lon * Math.PI) / 180
  const y = EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))
  return [x, y]
}

/** Web Mercator metres (EPSG:3857) to degrees (EPSG:4326). */
export function mercatorToLonLat(x: number, y: number): [number, number] {
  const lon = (x / EARTH_RADIUS) * (180 / Math.PI)
  const lat = (2 * Math.atan(Math.exp(y / EARTH_RADIUS)) - Math.PI / 2) * (180 / Math.PI)
  return [lon, lat]
}

/**
 * The degrees box that holds a Mercator box, grown by a hair so that a bounding-box index test
 * never loses a point on the edge to rounding (the exact test happens in tile coordinates).
 */
export function boxToLonLat(box: MercatorBox): Bbox {
  const [w, s] = mercatorToLonLat(box.minX, box.minY)
  const [e, n] = mercatorToLonLat(box.maxX, box.maxY)
  const eps = 1e-9
  return [w - eps, s - eps, e + eps, n + eps]
}

/** The tiles of zoom `z` that a lon/lat box touches: [minX, minY, maxX, maxY] (inclusive). */
export function tileRange(bbox: Bbox, z: number): [number, number, number, number] {
  const n = 2 ** z
  const size = (2 * WORLD_HALF) / n
  const [x0, y0] = lonLatToMercator(bbox[0], bbox[3])
  const [x1, y1] = lonLatToMercator(bbox[2], bbox[1])
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, v))
  return [
    clamp(Math.floor((x0 + WORLD_HALF) / size)),
    clamp(Math.floor((WORLD_HALF - y0) / size)),
    clamp(Math.floor((x1 + WORLD_HALF) / size)),
    clamp(Math.floor((WORLD_HALF - y1) / size)),
  ]
}

/** A ring in tile coordinates: [x, y] pairs, x to the right and y down. */
export type Ring = [number, number][]

/**
 * Twice the ring's signed area by the surveyor's formula in tile coordinates. MVT 2.1: an
 * exterior ring has a positive area (clockwise on screen, y down), a hole a negative one.
 */
export function ringArea(ring: readonly (readonly [number, number])[]): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as readonly [number, number]
    const b = ring[i] as readonly [number, number]
    sum += a[0] * b[1] - b[0] * a[1]
  }
  return sum
}

/**
 * Clips a ring to an axis-parallel box (Sutherland–Hodgman). Exact for convex rings such as H3
 * cells; a concave ring may keep zero-width slivers along the box edge, which render as nothing.
 */
export function clipRing(
  ring: readonly (readonly [number, number])[],
  min: number,
  max: number,
): Ring {
  let out: Ring = ring.map(([x, y]) => [x, y])
  const edges: [axis: 0 | 1, bound: number, keepAbove: boolean][] = [
    [0, min, true],
    [0, max, false],
    [1, min, true],
    [1, max, false],
  ]
  for (const [axis, bound, keepAbove] of edges) {
    const input = out
    out = []
    if (input.length === 0) break
    const inside = (p: [number, number]) => (keepAbove ? p[axis] >= bound : p[axis] <= bound)
    let prev = input[input.length - 1] as [number, number]
    for (const cur of input) {
      const curIn = inside(cur)
      const prevIn = inside(prev)
      if (curIn !== prevIn) {
        const t = (bound - prev[axis]) / (cur[axis] - prev[axis])
        const cut: [number, number] = [
          prev[0] + t * (cur[0] - prev[0]),
          prev[1] + t * (cur[1] - prev[1]),
        ]
        cut[axis] = bound
        out.push(cut)
      }
      if (curIn) out.push(cur)
      prev = cur
    }
  }
  return out
}

/**
 * Snaps a ring to whole tile units and drops repeated points, points in line and the closing
 * point. Returns undefined when fewer than three points or no area remain (the ring collapsed).
 */
export function snapRing(ring: readonly (readonly [number, number])[]): Ring | undefined {
  const out: Ring = []
  for (const [x, y] of ring) {
    const p: [number, number] = [Math.round(x), Math.round(y)]
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  while (out.length > 1) {
    const first = out[0] as [number, number]
    const last = out[out.length - 1] as [number, number]
    if (first[0] !== last[0] || first[1] !== last[1]) break
    out.pop()
  }
  const kept = dropCollinear(out)
  if (kept.length < 3 || ringArea(kept) === 0) return undefined
  return kept
}

/**
 * Drops every vertex in line with its neighbours, until none is left: the middle of a straight
 * run, and the tip of a zero-width spike that snapping folds back onto itself (as the repair
 * step of ST_AsMVTGeom does).
 */
function dropCollinear(ring: Ring): Ring {
  let points = ring
  let changed = true
  while (changed && points.length >= 3) {
    changed = false
    const kept: Ring = []
    const last = points[points.length - 1] as [number, number]
    for (let i = 0; i < points.length; i++) {
      const prev = kept[kept.length - 1] ?? last
      const cur = points[i] as [number, number]
      const next = points[(i + 1) % points.length] as [number, number]
      const cross =
        (cur[0] - prev[0]) * (next[1] - cur[1]) - (cur[1] - prev[1]) * (next[0] - cur[0])
      const repeated = next[0] === cur[0] && next[1] === cur[1]
      if (cross === 0 || repeated) changed = true
      else kept.push(cur)
    }
    points = kept
  }
  return points
}

/** The ring turned, if needed, to the winding MVT asks: exterior positive, holes negative. */
export function orientRing(ring: Ring, exterior: boolean): Ring {
  const area = ringArea(ring)
  return area > 0 === exterior ? ring : [...ring].reverse()
}

/**
 * Polygons (each a list of rings, the first exterior) in float tile coordinates to MVT rings:
 * snapped, collapsed rings dropped (a polygon whose exterior collapses goes with its holes), and
 * wound as the specification asks. Empty when nothing is left.
 */
export function polygonsToTileRings(polygons: readonly (readonly Ring[])[]): Ring[] {
  const rings: Ring[] = []
  for (const polygon of polygons) {
    const [outer, ...holes] = polygon
    const exterior = outer && snapRing(outer)
    if (!exterior) continue
    rings.push(orientRing(exterior, true))
    for (const hole of holes) {
      const snapped = snapRing(hole)
      if (snapped) rings.push(orientRing(snapped, false))
    }
  }
  return rings
}

/** A property value a vector tile can hold; absent values are left out of the feature. */
export type TileValue = string | number | boolean

/** One feature in tile coordinates, ready to encode. */
export type TileFeature =
  | {
      readonly type: 'point'
      readonly point: readonly [number, number]
      readonly properties: Readonly<Record<string, TileValue>>
    }
  | {
      readonly type: 'polygon'
      readonly rings: readonly Ring[]
      readonly properties: Readonly<Record<string, TileValue>>
    }

/** How a tile of assets shows them: one point each, or clusters on a grid of `cellUnits`. */
export type AssetShape =
  { readonly kind: 'points' } | { readonly kind: 'clusters'; readonly cellUnits: number }

/** Up to this zoom assets come as clusters (as the web app clustered its GeoJSON before). */
export const ASSET_CLUSTER_MAX_ZOOM = 12

/** Cluster grid: 512 units is 64 px of a 512 px tile; the fine grid is the fallback of a dense tile. */
export const CLUSTER_CELL = 512
export const FINE_CLUSTER_CELL = 64

/**
 * The ways to draw an asset tile at zoom `z`, finest first: a tile over the size or feature cap
 * takes the next one. The coarsest always fits: at most (4096 / 512 + 2)² clusters.
 */
export function assetShapes(z: number): readonly AssetShape[] {
  const clusters: AssetShape = { kind: 'clusters', cellUnits: CLUSTER_CELL }
  if (z <= ASSET_CLUSTER_MAX_ZOOM) return [clusters]
  return [{ kind: 'points' }, { kind: 'clusters', cellUnits: FINE_CLUSTER_CELL }, clusters]
}

/**
 * H3 resolution of hexagon-metric tiles at zoom `z`, about 15–40 px per cell as the web app
 * chooses for its view (a tile at z is drawn between z and z + 1). Density also has 6.
 */
export function cellResolution(z: number, metric: string): number {
  if (metric === 'density' && z <= 6) return 6
  if (z <= 8) return 7
  if (z <= 9) return 8
  if (z <= 11) return 9
  return 10
}
