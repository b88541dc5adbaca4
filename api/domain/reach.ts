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

/**
 * Straight-line distance in RD New metres (a conformal projection: within a metre of the
 * geodesic over Flevoland's distances). Places go into a uniform grid of `bucketM` buckets; each
 * origin visits the buckets within 5 km, adds whole buckets that lie inside a radius without
 * looking at their points, and checks points only where a bucket straddles a radius or may hold
 * a nearer place. An origin with no place within 5 km falls back to a scan of all places.
 */
export function straightLine(bucketM = 1250): DistanceMethod {
  return {
    mode: 'line',
    measure(origins, places) {
      const n = origins.x.length
      const nearest = new Float64Array(n).fill(Infinity)
      const within: [Int32Array, Int32Array, Int32Array] = [
        new Int32Array(n),
        new Int32Array(n),
        new Int32Array(n),
      ]
      const m = places.x.length
      if (m === 0) return { nearest, within }

      // Bucket the places (counting sort), copying coordinates bucket by bucket for locality.
      let minX = Infinity
      let minY = Infinity
      let maxX = -Infinity
      let maxY = -Infinity
      for (let j = 0; j < m; j++) {
        const px = places.x[j] as number
        const py = places.y[j] as number
        if (px < minX) minX = px
        if (px > maxX) maxX = px
        if (py < minY) minY = py
        if (py > maxY) maxY = py
      }
      const G = bucketM
      const gw = Math.floor((maxX - minX) / G) + 1
      const gh = Math.floor((maxY - minY) / G) + 1
      const starts = new Int32Array(gw * gh + 1)
      const bucketOf = new Int32Array(m)
      for (let j = 0; j < m; j++) {
        const b =
          Math.floor(((places.y[j] as number) - minY) / G) * gw +
          Math.floor(((places.x[j] as number) - minX) / G)
        bucketOf[j] = b
        starts[b + 1] = (starts[b + 1] as number) + 1
      }
      for (let b = 0; b < gw * gh; b++)
        starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number)
      const fill = starts.slice(0, gw * gh)
      const px = new Float64Array(m)
      const py = new Float64Array(m)
      for (let j = 0; j < m; j++) {
        const bucket = bucketOf[j] as number
        const slot = fill[bucket] as number
        fill[bucket] = slot + 1
        px[slot] = places.x[j] as number
        py[slot] = places.y[j] as number
      }

      const [r1, r3, r5] = RADII
      const R1 = r1 * r1
      const R3 = r3 * r3
      const R5 = r5 * r5
      const K = Math.ceil(r5 / G)
      const [w1, w3, w5] = within

      for (let i = 0; i < n; i++) {
        const ox = origins.x[i] as number
        const oy = origins.y[i] as number
        const bx = Math.floor((ox - minX) / G)
        const by = Math.floor((oy - minY) / G)
        let best = Infinity
        let c1 = 0
        let c3 = 0
        let c5 = 0
        const gy0 = Math.max(0, by - K)
        const gy1 = Math.min(gh - 1, by + K)
        const gx0 = Math.max(0, bx - K)
        const gx1 = Math.min(gw - 1, bx + K)
        for (let gy = gy0; gy <= gy1; gy++) {
          const y0 = minY + gy * G
          const y1 = y0 + G
          const dy = oy < y0 ? y0 - oy : oy > y1 ? oy - y1 : 0
          const fy = Math.max(Math.abs(oy - y0), Math.abs(oy - y1))
          const row = gy * gw
          for (let gx = gx0; gx <= gx1; gx++) {
            const b = row + gx
            const s = starts[b] as number
            const e = starts[b + 1] as number
            if (s === e) continue
            const x0 = minX + gx * G
            const x1 = x0 + G
            const dx = ox < x0 ? x0 - ox : ox > x1 ? ox - x1 : 0
            const dmin = dx * dx + dy * dy
            if (dmin > R5 && dmin >= best) continue
            const fx = Math.max(Math.abs(ox - x0), Math.abs(ox - x1))
            const dmax = fx * fx + fy * fy
            const in1 = dmax <= R1
            const in3 = dmax <= R3
            const in5 = dmax <= R5
            const count = e - s
            if (in1) c1 += count
            if (in3) c3 += count
            if (in5) c5 += count
            const scan =
              dmin < best || (!in1 && dmin <= R1) || (!in3 && dmin <= R3) || (!in5 && dmin <= R5)
            if (!scan) continue
            for (let k = s; k < e; k++) {
              const ddx = (px[k] as number) - ox
              const ddy = (py[k] as number) - oy
              const d = ddx * ddx + ddy * ddy
              if (d < best) best = d
              if (!in1 && d <= R1) c1++
              if (!in3 && d <= R3) c3++
              if (!in5 && d <= R5) c5++
            }
          }
        }
        if (best > R5) {
          // No place within 5 km: the window cannot prove the nearest, so look at all of them.
          for (let k = 0; k < m; k++) {
            const ddx = (px[k] as number) - ox
            const ddy = (py[k] as number) - oy
            const d = ddx * ddx + ddy * ddy
            if (d < best) best = d
          }
        }
        nearest[i] = Math.sqrt(best)
        w1[i] = c1
        w3[i] = c3
        w5[i] = c5
      }
      return { nearest, within }
    },
  }
}
