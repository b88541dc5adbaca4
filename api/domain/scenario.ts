import { defaultMeetingPlace, type KindCode } from './kinds.js'
import type { Selection } from './coverage.js'
import { lonLatToRd } from './geo.js'
import type { Reach } from './reach.js'

/**
 * What-if scenarios: proposed places and closures, and the live difference they make while a
 * proposed place is dragged. Pure: distances come in as Reach arrays, sites as a SiteReach.
 */

/** A place that does not exist yet: where, and what kind. */
export interface ProposedPlace {
  readonly lon: number
  readonly lat: number
  readonly kind: KindCode
  readonly name?: string | undefined
}

/** What a scenario changes, without touching the register. */
export interface ScenarioChanges {
  readonly add: readonly ProposedPlace[]
  /** Ids of existing places that close in the scenario. */
  readonly close: readonly string[]
}

/** One cell whose distance to the nearest meeting place changes. */
export interface CellChange {
  readonly cell: number
  /** The cell's inhabitants in the area. */
  readonly inhabitants: number
  readonly beforeM: number
  readonly afterM: number
}

/** Per area and threshold: inhabitants within today (summed once, reused while dragging). */
const todayWithin = new WeakMap<Float64Array, Map<string, number>>()
/** Per base reach: the cells whose distance the closures changed. */
const closureCells = new WeakMap<Float64Array, number[]>()

/**
 * The incremental part of `preview`, separate so the benchmark can time it alone: per proposed
 * place one bounded search; then only the cells it (or a closure) changed are looked at.
 */
export function previewOn(
  area: { code: string; selection: Selection; map: Map<number, number> },
  base: Reach,
  today: Reach,
  sites: {
    around(x: number, y: number, maxM: number): { origins: Int32Array; metres: Float64Array }
  },
  thresholdM: number,
  changes: ScenarioChanges,
) {
  let sums = todayWithin.get(today.nearest)
  if (!sums) todayWithin.set(today.nearest, (sums = new Map<string, number>()))
  const key = `${area.code}|${thresholdM}`
  let withinToday = sums.get(key)
  let inhabitants = 0
  if (withinToday === undefined || !sums.has(`${area.code}|total`)) {
    withinToday = 0
    for (const [cell, n] of area.map) {
      inhabitants += n
      if ((today.nearest[cell] as number) <= thresholdM) withinToday += n
    }
    sums.set(key, withinToday)
    sums.set(`${area.code}|total`, inhabitants)
  }
  inhabitants = sums.get(`${area.code}|total`) as number

  let closed = closureCells.get(base.nearest)
  if (!closed) {
    closed = []
    if (base !== today) {
      for (const cell of area.map.keys()) {
        if (base.nearest[cell] !== today.nearest[cell]) closed.push(cell)
      }
    }
    closureCells.set(base.nearest, closed)
  }

  const improved = new Map<number, number>()
  for (const p of changes.add) {
    if (!defaultMeetingPlace(p.kind)) continue
    const [x, y] = lonLatToRd(p.lon, p.lat)
    const near = sites.around(x, y, thresholdM)
    for (let k = 0; k < near.origins.length; k++) {
      const o = near.origins[k] as number
      const d = near.metres[k] as number
      if (d < (improved.get(o) ?? base.nearest[o] ?? Infinity)) improved.set(o, d)
    }
  }
  let withinAfter = withinToday
  const changed: CellChange[] = []
  const visit = (cell: number) => {
    const n = area.map.get(cell)
    if (!n) return
    const t = today.nearest[cell] as number
    const a = improved.get(cell) ?? base.nearest[cell] ?? Infinity
    if (a === t) return
    if (t <= thresholdM) withinAfter -= n
    if (a <= thresholdM) withinAfter += n
    changed.push({ cell, inhabitants: n, beforeM: t, afterM: a })
  }
  for (const cell of closed) if (!improved.has(cell)) visit(cell)
  for (const cell of improved.keys()) visit(cell)
  return {
    inhabitants,
    withinToday,
    withinAfter,
    gained: withinAfter - withinToday,
    cells: changed,
  }
}
