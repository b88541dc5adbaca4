/**
 * Reach: the distance from each origin (a populated cell's centre) to the nearest counted place,
 * and how many counted places lie within 1, 3 and 5 km. The distance step is one replaceable part:
 * a `DistanceMethod`. This module has the straight line in RD New (EPSG:28992) metres; the network
 * methods (walk, bike) implement the same interface.
 */

export const MODES = ['line', 'walk', 'bike'] as const
export type Mode = (typeof MODES)[number]

/** Radii (m) for "places within": the CBS Kerncijfers use 1, 3 and 5 km. */
export const RADII = [1000, 3000, 5000] as const

/** Points in RD New metres, with their WGS84 position for methods that need it. */
export interface Points {
  readonly x: Float64Array
  readonly y: Float64Array
  readonly lon: Float64Array
  readonly lat: Float64Array
}

export interface Reach {
  /** Metres to the nearest place; Infinity when no place can be reached. */
  readonly nearest: Float64Array
  /** Places within RADII[0], RADII[1], RADII[2] metres. */
  readonly within: readonly [Int32Array, Int32Array, Int32Array]
}

export interface DistanceMethod {
  readonly mode: Mode
  /** May answer asynchronously (a worker pool, a routing engine). */
  measure(origins: Points, places: Points): Reach | Promise<Reach>
}

/** A method that answers at once. */
export interface SyncDistanceMethod extends DistanceMethod {
  measure(origins: Points, places: Points): Reach
}

export function pointsFromArrays(x: number[], y: number[], lon?: number[], lat?: number[]): Points {
  return {
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    lon: Float64Array.from(lon ?? x.map(() => NaN)),
    lat: Float64Array.from(lat ?? y.map(() => NaN)),
  }
}

/** A Reach for `n` origins before measuring: nothing reached, no places counted. */
export function emptyReach(n: number): {
  nearest: Float64Array
  within: [Int32Array, Int32Array, Int32Array]
} {
  return {
    nearest: new Float64Array(n).fill(Infinity),
    within: [new Int32Array(n), new Int32Array(n), new Int32Array(n)],
  }
}

/** The bounding box of points given as coordinate arrays (±Infinity when there are none). */
export function extent(xs: Float64Array, ys: Float64Array) {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j] as number
    const y = ys[j] as number
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  return { minX, minY, maxX, maxY }
}

/** Places (or origins) sorted into square buckets of `size` metres: a counting sort. */
interface Grid {
  readonly minX: number
  readonly minY: number
  readonly size: number
  readonly w: number
  readonly h: number
  /** Items of bucket b are order[start[b]] … order[start[b + 1] - 1]. */
  readonly start: Int32Array
  readonly order: Int32Array
  /** The bucket of each item. */
  readonly bucketOf: Int32Array
  /** Coordinates in bucket order, for cache-friendly scans. */
  readonly x: Float64Array
  readonly y: Float64Array
}

function buildGrid(px: Float64Array, py: Float64Array, size: number): Grid {
  const m = px.length
  const { minX, minY, maxX, maxY } = extent(px, py)
  const w = Math.floor((maxX - minX) / size) + 1
  const h = Math.floor((maxY - minY) / size) + 1
  const start = new Int32Array(w * h + 1)
  const bucketOf = new Int32Array(m)
  for (let j = 0; j < m; j++) {
    const b =
      Math.floor(((py[j] as number) - minY) / size) * w +
      Math.floor(((px[j] as number) - minX) / size)
    bucketOf[j] = b
    start[b + 1] = (start[b + 1] as number) + 1
  }
  for (let b = 0; b < w * h; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number)
  const fill = start.slice(0, w * h)
  const order = new Int32Array(m)
  const x = new Float64Array(m)
  const y = new Float64Array(m)
  for (let j = 0; j < m; j++) {
    const b = bucketOf[j] as number
    const slot = fill[b] as number
    fill[b] = slot + 1
    order[slot] = j
    x[slot] = px[j] as number
    y[slot] = py[j] as number
  }
  return { minX, minY, size, w, h, start, order, bucketOf, x, y }
}

/**
 * Nearest place per origin: search rings of place buckets around the origin's bucket, outwards,
 * until the next ring cannot hold anything nearer than the best found.
 */
function nearestByRings(origins: Points, grid: Grid, out: Float64Array): void {
  const { minX, minY, size: G, w, h, start, x: px, y: py } = grid
  for (let i = 0; i < out.length; i++) {
    const ox = origins.x[i] as number
    const oy = origins.y[i] as number
    const bx = Math.floor((ox - minX) / G)
    const by = Math.floor((oy - minY) / G)
    const maxRing = Math.max(bx, w - 1 - bx, by, h - 1 - by, 0)
    let best = Infinity
    for (let r = 0; r <= maxRing; r++) {
      const gap = (r - 1) * G
      if (r > 0 && gap > 0 && gap * gap > best) break
      for (let gy = by - r; gy <= by + r; gy++) {
        if (gy < 0 || gy >= h) continue
        const edge = gy === by - r || gy === by + r
        const step = edge ? 1 : 2 * r
        for (let gx = bx - r; gx <= bx + r; gx += step || 1) {
          if (gx < 0 || gx >= w) continue
          const b = gy * w + gx
          for (let k = start[b] as number, e = start[b + 1] as number; k < e; k++) {
            const dx = (px[k] as number) - ox
            const dy = (py[k] as number) - oy
            const d = dx * dx + dy * dy
            if (d < best) best = d
          }
        }
      }
    }
    out[i] = Math.sqrt(best)
  }
}

/**
 * Places within each radius of every origin, counted from the places' side: each place visits the
 * buckets of origins within 5 km; a bucket wholly inside a radius gets one bucket-level count,
 * and only buckets that a circle's rim crosses look at their origins one by one.
 */
function countWithin(
  origins: Points,
  places: Points,
  grid: Grid,
  within: readonly Int32Array[],
): void {
  const { minX, minY, size: G, w, h, start, order, bucketOf, x: ox, y: oy } = grid
  const radii = RADII.map((r) => r * r)
  const bucketCounts = RADII.map(() => new Int32Array(w * h))
  const R = RADII[RADII.length - 1] as number
  for (let j = 0; j < places.x.length; j++) {
    const px = places.x[j] as number
    const py = places.y[j] as number
    const gy0 = Math.max(0, Math.floor((py - R - minY) / G))
    const gy1 = Math.min(h - 1, Math.floor((py + R - minY) / G))
    for (let gy = gy0; gy <= gy1; gy++) {
      const y0 = minY + gy * G
      const y1 = y0 + G
      const dy = py < y0 ? y0 - py : py > y1 ? py - y1 : 0
      if (dy > R) continue
      const fy = py - y0 > y1 - py ? py - y0 : y1 - py
      const reach = Math.sqrt(R * R - dy * dy)
      const gx0 = Math.max(0, Math.floor((px - reach - minX) / G))
      const gx1 = Math.min(w - 1, Math.floor((px + reach - minX) / G))
      for (let gx = gx0; gx <= gx1; gx++) {
        const b = gy * w + gx
        const s = start[b] as number
        const e = start[b + 1] as number
        if (s === e) continue
        const x0 = minX + gx * G
        const x1 = x0 + G
        const dx = px < x0 ? x0 - px : px > x1 ? px - x1 : 0
        const fx = px - x0 > x1 - px ? px - x0 : x1 - px
        const dmin = dx * dx + dy * dy
        const dmax = fx * fx + fy * fy
        for (let k = 0; k < radii.length; k++) {
          const r2 = radii[k] as number
          if (dmin > r2) continue
          if (dmax <= r2) {
            const counts = bucketCounts[k] as Int32Array
            counts[b] = (counts[b] as number) + 1
            continue
          }
          const target = within[k] as Int32Array
          for (let q = s; q < e; q++) {
            const ddx = (ox[q] as number) - px
            const ddy = (oy[q] as number) - py
            if (ddx * ddx + ddy * ddy <= r2) {
              const o = order[q] as number
              target[o] = (target[o] as number) + 1
            }
          }
        }
      }
    }
  }
  for (let k = 0; k < radii.length; k++) {
    const counts = bucketCounts[k] as Int32Array
    const target = within[k] as Int32Array
    for (let i = 0; i < origins.x.length; i++) {
      target[i] = (target[i] as number) + (counts[bucketOf[i] as number] as number)
    }
  }
}

/**
 * Straight-line distance in RD New metres (a conformal projection: within a metre of the
 * geodesic over Flevoland's distances). The nearest place comes from a ring search over a grid
 * of places (`placeBucketM`); the counts within 1, 3 and 5 km from the places' side over a finer
 * grid of origins (`originBucketM`), which suits many more origins than places.
 */
export function straightLine(placeBucketM = 1200, originBucketM = 1000): SyncDistanceMethod {
  return {
    mode: 'line',
    measure(origins, places) {
      const n = origins.x.length
      const { nearest, within } = emptyReach(n)
      if (places.x.length === 0 || n === 0) return { nearest, within }
      const placeGrid = buildGrid(places.x, places.y, placeBucketM)
      nearestByRings(origins, placeGrid, nearest)
      // Places in grid order: consecutive places touch the same origin buckets (cache-friendly).
      const sorted = { x: placeGrid.x, y: placeGrid.y, lon: places.lon, lat: places.lat }
      countWithin(origins, sorted, buildGrid(origins.x, origins.y, originBucketM), within)
      return { nearest, within }
    },
  }
}
