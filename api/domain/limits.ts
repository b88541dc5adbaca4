import type { Mode } from './reach.js'

/**
 * How much one request may ask of the analysis. Distances beyond these are not a question about
 * a meeting place within reach (an hour's walk, an hour by bike) and would make a suggestion or
 * a preview search most of the province for every candidate.
 */
export const MAX_THRESHOLD_M: Record<Mode, number> = { line: 15_000, walk: 5_000, bike: 15_000 }

/** Candidates a suggestion may weigh, and suggestions it may return. */
export const MAX_CANDIDATES = 5_000
export const MAX_SUGGESTIONS = 50

/**
 * Rough cost of weighing candidate sites, in seconds of one thread on the reference machine
 * (2 × AMD EPYC, measured with npm run bench): each candidate looks at every populated cell
 * within the threshold (straight line: about 20 million a second) or settles every network node
 * within it (about 2 million a second, heap included). Densities are averages over the surface's
 * and the network's extent, so the estimate is for a typical spot, not the densest town centre.
 */
export function suggestionCost(o: {
  candidates: number
  thresholdM: number
  /** Populated cells per square metre. */
  cellDensity: number
  /** Network nodes per square metre; undefined for the straight line. */
  nodeDensity?: number | undefined
  cells: number
  nodes?: number | undefined
}): number {
  const disc = Math.PI * o.thresholdM * o.thresholdM
  const cells = Math.min(o.cells, o.cellDensity * disc)
  if (o.nodeDensity === undefined) return (o.candidates * cells) / 20e6
  const nodes = Math.min(o.nodes ?? Infinity, o.nodeDensity * disc)
  return (o.candidates * (nodes + cells)) / 2e6
}

/** The most estimated work a suggestion may ask for (see suggestionCost). */
export const MAX_SUGGESTION_SECONDS = 8

/** Density of points in their bounding box (per m², RD New), for suggestionCost. */
export function density(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  let n = 0
  for (let i = 0; i < x.length; i++) {
    const px = x[i] as number
    const py = y[i] as number
    if (Number.isNaN(px)) continue
    n++
    if (px < minX) minX = px
    if (px > maxX) maxX = px
    if (py < minY) minY = py
    if (py > maxY) maxY = py
  }
  const area = Math.max(1, (maxX - minX) * (maxY - minY))
  return n / area
}
