import { cellToParent } from 'h3-js'

/**
 * Figures of resolution-10 cells summed into coarser cells for drawing. Every figure is computed
 * at one resolution (10, unless a request asks for another); a map zoomed out draws coarser
 * hexagons that hold the sum of their children — inhabitants, inhabitants within the threshold,
 * gap inhabitants and severity — and inhabitant-weighted means of distance and detour, so a
 * number read off the map at any zoom is the same number the area figures add up.
 */

export interface ParentIndex {
  /** The coarser cells, sorted. */
  readonly cells: readonly string[]
  /** For each fine cell, the index of its parent in `cells`. */
  readonly of: Int32Array
}

/** The parent at `res` of every cell (all of one finer resolution), as an index. */
export function parentIndex(cells: readonly string[], res: number): ParentIndex {
  const parents = cells.map((c) => cellToParent(c, res))
  const unique = [...new Set(parents)].sort()
  const at = new Map(unique.map((c, i) => [c, i]))
  return { cells: unique, of: Int32Array.from(parents, (p) => at.get(p) as number) }
}

/** Summed figures per coarser cell (parallel arrays, indexed like `ParentIndex.cells`). */
export interface CellAggregates {
  readonly inhabitants: Float64Array
  /** Inhabitants within the threshold. */
  readonly within: Float64Array
  /** Inhabitants beyond the threshold (a place reachable but too far, or none reachable). */
  readonly gap: Float64Array
  /** Σ inhabitants × metres beyond the threshold, over children with a reachable place. */
  readonly severity: Float64Array
  /** Inhabitants with no reachable place. */
  readonly unreachable: Float64Array
  /** Inhabitant-weighted mean distance over children with a reachable place (NaN: none). */
  readonly meanDistanceM: Float64Array
  /** The same over the children beyond the threshold with a reachable place (NaN: none). */
  readonly meanGapDistanceM: Float64Array
  /** Inhabitant-weighted mean detour factor over children that have one (NaN: none). */
  readonly meanDetour: Float64Array
  /** Inhabitant-weighted mean straight-line distance, with the detour (NaN: none). */
  readonly meanStraightM: Float64Array
}

/**
 * Sums fine cells' figures into their parents. `nearest` is metres to the nearest counted
 * place (Infinity: none reachable); `detour` and `straight` (optional) are per fine cell (NaN
 * where there is none).
 */
export function aggregate(
  index: ParentIndex,
  inhabitants: ArrayLike<number>,
  nearest: ArrayLike<number>,
  thresholdM: number,
  detour?: { factors: ArrayLike<number>; straight: ArrayLike<number> },
): CellAggregates {
  const n = index.cells.length
  const out = {
    inhabitants: new Float64Array(n),
    within: new Float64Array(n),
    gap: new Float64Array(n),
    severity: new Float64Array(n),
    unreachable: new Float64Array(n),
    meanDistanceM: new Float64Array(n),
    meanGapDistanceM: new Float64Array(n),
    meanDetour: new Float64Array(n),
    meanStraightM: new Float64Array(n),
  }
  const reachable = new Float64Array(n)
  const reachableGap = new Float64Array(n)
  const detourWeight = new Float64Array(n)
  for (let i = 0; i < index.of.length; i++) {
    const w = inhabitants[i] as number
    if (!(w > 0)) continue
    const p = index.of[i] as number
    const d = nearest[i] as number
    out.inhabitants[p] = (out.inhabitants[p] as number) + w
    if (Number.isFinite(d)) {
      reachable[p] = (reachable[p] as number) + w
      out.meanDistanceM[p] = (out.meanDistanceM[p] as number) + w * d
      if (d <= thresholdM) out.within[p] = (out.within[p] as number) + w
      else {
        out.gap[p] = (out.gap[p] as number) + w
        out.severity[p] = (out.severity[p] as number) + w * (d - thresholdM)
        reachableGap[p] = (reachableGap[p] as number) + w
        out.meanGapDistanceM[p] = (out.meanGapDistanceM[p] as number) + w * d
      }
    } else {
      out.unreachable[p] = (out.unreachable[p] as number) + w
      out.gap[p] = (out.gap[p] as number) + w
    }
    const f = detour?.factors[i] as number
    if (detour && !Number.isNaN(f)) {
      detourWeight[p] = (detourWeight[p] as number) + w
      out.meanDetour[p] = (out.meanDetour[p] as number) + w * f
      out.meanStraightM[p] = (out.meanStraightM[p] as number) + w * (detour.straight[i] as number)
    }
  }
  for (let p = 0; p < n; p++) {
    const r = reachable[p] as number
    out.meanDistanceM[p] = r > 0 ? (out.meanDistanceM[p] as number) / r : NaN
    const g = reachableGap[p] as number
    out.meanGapDistanceM[p] = g > 0 ? (out.meanGapDistanceM[p] as number) / g : NaN
    const dw = detourWeight[p] as number
    out.meanDetour[p] = dw > 0 ? (out.meanDetour[p] as number) / dw : NaN
    out.meanStraightM[p] = dw > 0 ? (out.meanStraightM[p] as number) / dw : NaN
  }
  return out
}
