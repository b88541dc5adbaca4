import { snap, type Graph, type Snap } from './network/graph.js'
import { originSearch } from './network/reach.js'
import type { Points } from './reach.js'

/**
 * Who lives near a place that does not exist yet: for a site (a proposed buurthuis, a candidate
 * for the next one), the populated cells within a distance of it and their distance to it, by
 * the same method the coverage figures use. Built once per surface and network, then asked many
 * times (a dragged point, a thousand candidates), so each question costs one bounded search.
 */
export interface SiteReach {
  /** Cells (indices into the origins) within `maxM` of the site at RD (x, y), with metres. */
  around(x: number, y: number, maxM: number): { origins: Int32Array; metres: Float64Array }
}

/** Straight-line version: a grid of the origins, searched in the squares the circle touches. */
export function lineSites(origins: Points, bucketM = 500): SiteReach {
  const n = origins.x.length
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, origins.x[i] as number)
    maxX = Math.max(maxX, origins.x[i] as number)
    minY = Math.min(minY, origins.y[i] as number)
    maxY = Math.max(maxY, origins.y[i] as number)
  }
  const w = n ? Math.floor((maxX - minX) / bucketM) + 1 : 0
  const h = n ? Math.floor((maxY - minY) / bucketM) + 1 : 0
  const start = new Int32Array(w * h + 1)
  const bucket = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const b =
      Math.floor(((origins.y[i] as number) - minY) / bucketM) * w +
      Math.floor(((origins.x[i] as number) - minX) / bucketM)
    bucket[i] = b
    start[b + 1] = (start[b + 1] as number) + 1
  }
  for (let b = 0; b < w * h; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number)
  const fill = start.slice(0, w * h)
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const b = bucket[i] as number
    order[fill[b] as number] = i
    fill[b] = (fill[b] as number) + 1
  }
  return {
    around(x, y, maxM) {
      const found: number[] = []
      const metres: number[] = []
      if (n === 0) return { origins: new Int32Array(0), metres: new Float64Array(0) }
      const gx0 = Math.max(0, Math.floor((x - maxM - minX) / bucketM))
      const gx1 = Math.min(w - 1, Math.floor((x + maxM - minX) / bucketM))
      const gy0 = Math.max(0, Math.floor((y - maxM - minY) / bucketM))
      const gy1 = Math.min(h - 1, Math.floor((y + maxM - minY) / bucketM))
      for (let gy = gy0; gy <= gy1; gy++) {
        for (let gx = gx0; gx <= gx1; gx++) {
          const b = gy * w + gx
          for (let k = start[b] as number; k < (start[b + 1] as number); k++) {
            const i = order[k] as number
            const d = Math.hypot((origins.x[i] as number) - x, (origins.y[i] as number) - y)
            if (d <= maxM) {
              found.push(i)
              metres.push(d)
            }
          }
        }
      }
      return { origins: Int32Array.from(found), metres: Float64Array.from(metres) }
    },
  }
}

/**
 * Network version: origins are snapped once (as `networkReach` does); a site is snapped like a
 * place and one Dijkstra over the reversed graph, bounded at `maxM`, gives every origin's route
 * to it. A site farther than `snapLimitM` from a usable path reaches nobody.
 */
export function networkSites(graph: Graph, origins: Points, snapLimitM: number): SiteReach {
  const n = origins.x.length
  const snaps: (Snap | undefined)[] = new Array<Snap | undefined>(n)
  for (let i = 0; i < n; i++) {
    snaps[i] = snap(graph, origins.x[i] as number, origins.y[i] as number, snapLimitM)
  }
  const search = originSearch(graph, snaps)
  return {
    around(x, y, maxM) {
      const site = snap(graph, x, y, snapLimitM)
      if (!site) return { origins: new Int32Array(0), metres: new Float64Array(0) }
      return search.around(site, maxM)
    },
  }
}
