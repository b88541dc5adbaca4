import type { Reach } from './reach.js'

/**
 * Coverage of an area: which of its inhabitants live within the threshold distance of a counted
 * place, the CBS-style averages, the distance bands and the gaps (DOMAIN.md, "How reach and gaps
 * are measured"). Pure arithmetic over a selection of (cell, inhabitants) portions and a Reach.
 */

/** Upper edges (m) of the distance bands; the last band is everything beyond 3,200 m. */
export const BAND_EDGES = [400, 800, 1600, 3200] as const

/**
 * The inhabitants of one area per populated cell: `cell[i]` indexes the Reach arrays,
 * `inhabitants[i]` is fractional (the surface is not rounded).
 */
export interface Selection {
  readonly cell: Int32Array
  readonly inhabitants: Float64Array
}

export interface Band {
  /** Distances above `fromM` up to and including `toM` (the first band includes 0). */
  readonly fromM: number
  readonly toM: number | null
  readonly inhabitants: number
}

export interface Gap {
  /** Index into the Reach arrays (the populated cell). */
  readonly cell: number
  readonly inhabitants: number
  /** Metres to the nearest counted place; null when none can be reached. */
  readonly distanceM: number | null
  /** Inhabitants × metres beyond the threshold; null (ranked first) when unreachable. */
  readonly severity: number | null
}

export interface Coverage {
  readonly inhabitants: number
  readonly inhabitantsWithin: number
  /** inhabitantsWithin ÷ inhabitants, 0–1; null for an area without inhabitants. */
  readonly share: number | null
  /** Inhabitants with no reachable place at all (none counted, or cut off by water). */
  readonly unreachableInhabitants: number
  /** Mean distance to the nearest place over the inhabitants who can reach one (CBS-style). */
  readonly meanDistanceM: number | null
  /** Mean number of places within 1, 3 and 5 km, over all inhabitants. */
  readonly meanPlacesWithin: {
    readonly '1km': number | null
    readonly '3km': number | null
    readonly '5km': number | null
  }
  readonly bands: readonly Band[]
  /** Populated cells beyond the threshold, and the inhabitants in them. */
  readonly gapCount: number
  readonly gapInhabitants: number
  /** The most severe gaps (at most `maxGaps`), most severe first. */
  readonly gaps: readonly Gap[]
}

/** A zeroed scratch index per Reach, reused by every coverage computed on it (left zeroed). */
const scratch = new WeakMap<Float64Array, Int32Array>()
function scratchFor(reach: Reach): Int32Array {
  let slots = scratch.get(reach.nearest)
  if (!slots) scratch.set(reach.nearest, (slots = new Int32Array(reach.nearest.length)))
  return slots
}

/** Severity for ranking: unreachable cells first. */
const rankSeverity = (d: number, n: number, threshold: number) =>
  Number.isFinite(d) ? n * (d - threshold) : Infinity

/**
 * Coverage of one selection for a threshold in metres (within means distance ≤ threshold).
 * Sums are additive over the selection's portions; gap cells are merged per cell, and only the
 * `maxGaps` most severe are ranked and returned (totals cover all of them).
 */
export function coverage(
  selection: Selection,
  reach: Reach,
  thresholdM: number,
  maxGaps = Infinity,
): Coverage {
  const { nearest } = reach
  const [w1, w3, w5] = reach.within
  let inhabitants = 0
  let within = 0
  let unreachable = 0
  let distanceSum = 0
  let p1 = 0
  let p3 = 0
  let p5 = 0
  const bands = new Float64Array(BAND_EDGES.length + 1)
  const [e0, e1, e2, e3] = BAND_EDGES
  // Gap cells, merged: a cell may hold portions of several source areas of the same area.
  const slotOf = scratchFor(reach) // slot + 1 of each gap cell; 0: none yet
  const gapCell: number[] = []
  const gapInhabitants: number[] = []
  for (let i = 0; i < selection.cell.length; i++) {
    const n = selection.inhabitants[i] as number
    if (n <= 0) continue
    const c = selection.cell[i] as number
    const d = nearest[c] as number
    inhabitants += n
    p1 += n * (w1[c] as number)
    p3 += n * (w3[c] as number)
    p5 += n * (w5[c] as number)
    let band: number
    if (!Number.isFinite(d)) {
      unreachable += n
      band = 4
    } else {
      distanceSum += n * d
      band = d <= e0 ? 0 : d <= e1 ? 1 : d <= e2 ? 2 : d <= e3 ? 3 : 4
      if (d <= thresholdM) {
        within += n
        bands[band] = (bands[band] as number) + n
        continue
      }
    }
    bands[band] = (bands[band] as number) + n
    const slot = (slotOf[c] as number) - 1
    if (slot < 0) {
      gapCell.push(c)
      slotOf[c] = gapCell.length
      gapInhabitants.push(n)
    } else {
      gapInhabitants[slot] = (gapInhabitants[slot] as number) + n
    }
  }

  // Rank: most severe first (unreachable before all), then more inhabitants, then cell order.
  const better = (a: number, b: number) => {
    const na = gapInhabitants[a] as number
    const nb = gapInhabitants[b] as number
    const sa = rankSeverity(nearest[gapCell[a] as number] as number, na, thresholdM)
    const sb = rankSeverity(nearest[gapCell[b] as number] as number, nb, thresholdM)
    if (sa !== sb) return sa > sb
    if (na !== nb) return na > nb
    return (gapCell[a] as number) < (gapCell[b] as number)
  }
  for (const c of gapCell) slotOf[c] = 0
  const k = Math.min(maxGaps, gapCell.length)
  let top: number[]
  if (k > 64) {
    top = Array.from(gapCell.keys())
      .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0))
      .slice(0, k)
  } else {
    // A few of many: keep a short sorted list instead of sorting everything.
    top = []
    for (let g = 0; g < gapCell.length && k > 0; g++) {
      if (top.length === k && !better(g, top[k - 1] as number)) continue
      let pos = top.length === k ? k - 1 : top.length
      if (top.length < k) top.push(g)
      while (pos > 0 && better(g, top[pos - 1] as number)) {
        top[pos] = top[pos - 1] as number
        pos--
      }
      top[pos] = g
    }
  }

  const reachable = inhabitants - unreachable
  const mean = (sum: number, over: number) => (over > 0 ? sum / over : null)
  return {
    inhabitants,
    inhabitantsWithin: within,
    share: mean(within, inhabitants),
    unreachableInhabitants: unreachable,
    meanDistanceM: mean(distanceSum, reachable),
    meanPlacesWithin: {
      '1km': mean(p1, inhabitants),
      '3km': mean(p3, inhabitants),
      '5km': mean(p5, inhabitants),
    },
    bands: [...bands].map((n, i) => ({
      fromM: i === 0 ? 0 : (BAND_EDGES[i - 1] as number),
      toM: i < BAND_EDGES.length ? (BAND_EDGES[i] as number) : null,
      inhabitants: n,
    })),
    gapCount: gapCell.length,
    gapInhabitants: gapInhabitants.reduce((a, b) => a + b, 0),
    gaps: top.map((g) => {
      const cell = gapCell[g] as number
      const n = gapInhabitants[g] as number
      const d = nearest[cell] as number
      return Number.isFinite(d)
        ? { cell, inhabitants: n, distanceM: d, severity: n * (d - thresholdM) }
        : { cell, inhabitants: n, distanceM: null, severity: null }
    }),
  }
}
