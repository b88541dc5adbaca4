import type { Reach } from './reach.js'

/**
 * Coverage of an area: which of its inhabitants live within the threshold distance of a counted
 * place, the CBS-style averages, the distance bands and the gaps (DOMAIN.md, "How reach and gaps
 * are measured"). Pure arithmetic over a selection of (cell, inhabitants) portions and a Reach.
 */

/** Upper edges (m) of the distance bands; the last band is everything beyond 3,200 m. */
export const BAND_EDGES = [400, 800, 1600, 3200] as const

/** The inhabitants of one area per populated cell: `cell[i]` indexes the Reach arrays. */
export interface Selection {
  readonly cell: Int32Array
  readonly inhabitants: Int32Array
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
  /** Every populated cell beyond the threshold, most severe first. */
  readonly gaps: readonly Gap[]
}

/** Coverage of one selection for a threshold in metres (within means distance ≤ threshold). */
export function coverage(selection: Selection, reach: Reach, thresholdM: number): Coverage {
  let inhabitants = 0
  let within = 0
  let unreachable = 0
  let distanceSum = 0
  const placesSum = [0, 0, 0]
  const bands = new Float64Array(BAND_EDGES.length + 1)
  const gaps: Gap[] = []
  const cells = new Map<number, number>()
  for (let i = 0; i < selection.cell.length; i++) {
    const c = selection.cell[i] as number
    cells.set(c, (cells.get(c) ?? 0) + (selection.inhabitants[i] as number))
  }
  for (const [c, n] of cells) {
    if (n <= 0) continue
    const d = reach.nearest[c] as number
    inhabitants += n
    for (let r = 0; r < 3; r++)
      placesSum[r] = (placesSum[r] as number) + n * (reach.within[r]?.[c] as number)
    if (!Number.isFinite(d)) {
      unreachable += n
      bands[BAND_EDGES.length] = (bands[BAND_EDGES.length] as number) + n
      gaps.push({ cell: c, inhabitants: n, distanceM: null, severity: null })
      continue
    }
    distanceSum += n * d
    let band = BAND_EDGES.findIndex((edge) => d <= edge)
    if (band === -1) band = BAND_EDGES.length
    bands[band] = (bands[band] as number) + n
    if (d <= thresholdM) within += n
    else gaps.push({ cell: c, inhabitants: n, distanceM: d, severity: n * (d - thresholdM) })
  }
  gaps.sort(
    (a, b) =>
      (b.severity ?? Infinity) - (a.severity ?? Infinity) ||
      b.inhabitants - a.inhabitants ||
      a.cell - b.cell,
  )
  const reachable = inhabitants - unreachable
  const mean = (sum: number, over: number) => (over > 0 ? sum / over : null)
  return {
    inhabitants,
    inhabitantsWithin: within,
    share: mean(within, inhabitants),
    unreachableInhabitants: unreachable,
    meanDistanceM: mean(distanceSum, reachable),
    meanPlacesWithin: {
      '1km': mean(placesSum[0] as number, inhabitants),
      '3km': mean(placesSum[1] as number, inhabitants),
      '5km': mean(placesSum[2] as number, inhabitants),
    },
    bands: [...bands].map((n, i) => ({
      fromM: i === 0 ? 0 : (BAND_EDGES[i - 1] as number),
      toM: i < BAND_EDGES.length ? (BAND_EDGES[i] as number) : null,
      inhabitants: n,
    })),
    gaps,
  }
}
