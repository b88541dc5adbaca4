import { latLngToCell } from 'h3-js'
import { coverage, type Coverage, type Selection } from '../domain/coverage.js'
import { lonLatToRd } from '../domain/geo.js'
import { defaultMeetingPlace, type KindCode } from '../domain/kinds.js'
import { countedPlaces, DEFAULT_PLACE_FILTER, type PlaceRecord } from '../domain/places.js'
import type { Mode, Reach } from '../domain/reach.js'
import { greedyCover, type Candidate } from '../domain/suggest.js'
import type { SurfaceResolution } from '../domain/surface.js'
import type { Analysis, AreaRef, LoadedSurface } from './analysis.js'

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

export interface ScenarioSettings {
  readonly area: AreaRef
  readonly res: SurfaceResolution
  readonly mode: Mode
  readonly thresholdM: number
}

/** One cell whose distance to the nearest meeting place changes. */
export interface CellChange {
  readonly cell: number
  /** The cell's inhabitants in the area. */
  readonly inhabitants: number
  readonly beforeM: number
  readonly afterM: number
}

const EMPTY: Selection = { cell: new Int32Array(0), inhabitants: new Int32Array(0) }

/** Inhabitants of an area per cell (portions of one cell summed). */
function inhabitantsByCell(selection: Selection): Map<number, number> {
  const out = new Map<number, number>()
  for (let i = 0; i < selection.cell.length; i++) {
    const c = selection.cell[i] as number
    out.set(c, (out.get(c) ?? 0) + (selection.inhabitants[i] as number))
  }
  return out
}

/**
 * What-if scenarios and site suggestions, on the same distances as the coverage figures
 * (DOMAIN.md): the default place filter (active meeting places), a proposed place counting when
 * its kind is a meeting place by default.
 */
export function createPlanning(analysis: Analysis) {
  const byCell = new WeakMap<Selection, Map<number, number>>()
  const inArea = (surface: LoadedSurface, area: AreaRef) => {
    const selection = surface.selections.get(area.code) ?? EMPTY
    let map = byCell.get(selection)
    if (!map) byCell.set(selection, (map = inhabitantsByCell(selection)))
    return { selection, map }
  }

  /** Today's counted places, without the closed ones. */
  async function remaining(close: readonly string[]) {
    const counted = countedPlaces(await analysis.records(), DEFAULT_PLACE_FILTER)
    const closed = new Set(close)
    return counted.filter((p) => !closed.has(p.id))
  }

  /** Today's reach with the closed places taken out (today's own reach when none close). */
  async function baseReach(s: ScenarioSettings, close: readonly string[]) {
    const today = await analysis.reachFor(s.res, s.mode, DEFAULT_PLACE_FILTER)
    if (close.length === 0) return { today, base: today.reach }
    const left = await remaining(close)
    const base = await analysis.measure(
      today.surface,
      s.mode,
      left.map((p) => p.lon),
      left.map((p) => p.lat),
    )
    return { today, base }
  }

  return {
    /**
     * The exact figures of a scenario: one full recompute with the places added and closed,
     * compared with today, for the area and per cell.
     */
    async evaluate(s: ScenarioSettings, changes: ScenarioChanges) {
      const today = await analysis.reachFor(s.res, s.mode, DEFAULT_PLACE_FILTER)
      const left = await remaining(changes.close)
      const added = changes.add.filter((p) => defaultMeetingPlace(p.kind))
      const all = [...left, ...added]
      const after: Reach = await analysis.measure(
        today.surface,
        s.mode,
        all.map((p) => p.lon),
        all.map((p) => p.lat),
      )
      const { selection, map } = inArea(today.surface, s.area)
      const before = coverage(selection, today.reach, s.thresholdM, 0)
      const figures = coverage(selection, after, s.thresholdM, 0)
      const cells: CellChange[] = []
      for (const [cell, inhabitants] of map) {
        const b = today.reach.nearest[cell] as number
        const a = after.nearest[cell] as number
        if (a !== b && inhabitants > 0) cells.push({ cell, inhabitants, beforeM: b, afterM: a })
      }
      return {
        surface: today.surface,
        version: today.version,
        counted: { today: today.counted.length, scenario: all.length, added: added.length },
        before,
        after: figures,
        cells,
        reaches: { today: today.reach, scenario: after },
      }
    },

    /**
     * The live difference while a proposed place is dragged: one bounded search per proposed
     * place on top of the base reach (cached), so only cells within the threshold are looked at.
     * Closures need a full recompute of the base, once per set of closures.
     */
    async preview(s: ScenarioSettings, changes: ScenarioChanges) {
      const { today, base } = await baseReach(s, changes.close)
      const sites = await analysis.sitesFor(s.res, s.mode)
      return {
        surface: today.surface,
        version: today.version,
        ...previewOn(
          { code: s.area.code, ...inArea(today.surface, s.area) },
          base,
          today.reach,
          sites,
          s.thresholdM,
          changes,
        ),
      }
    },

    /**
     * Greedy maximal covering: the k sites that bring the most inhabitants of the area within
     * the threshold, each with its marginal gain. Candidates are populated cells of the area
     * (their centres), or existing assets that are not meeting places yet (ABCD: activate what
     * is there), optionally of some kinds.
     */
    async suggest(
      s: ScenarioSettings,
      options: {
        k: number
        candidates: 'cells' | 'assets'
        kinds?: readonly KindCode[] | undefined
        limit: number
      },
    ) {
      const today = await analysis.reachFor(s.res, s.mode, DEFAULT_PLACE_FILTER)
      const surface = today.surface
      const { map } = inArea(surface, s.area)
      const weight = new Float64Array(surface.cells.length)
      let uncovered = 0
      let total = 0
      for (const [cell, n] of map) {
        total += n
        if (!((today.reach.nearest[cell] as number) <= s.thresholdM)) {
          weight[cell] = n
          uncovered += n
        }
      }
      type Site = {
        x: number
        y: number
        lon: number
        lat: number
        cell?: string
        asset?: PlaceRecord
      }
      let sites: Site[]
      if (options.candidates === 'cells') {
        sites = [...map.entries()]
          .filter(([, n]) => n > 0)
          .sort(
            (a, b) =>
              (weight[b[0]] as number) - (weight[a[0]] as number) || b[1] - a[1] || a[0] - b[0],
          )
          .slice(0, options.limit)
          .map(([cell]) => ({
            x: surface.points.x[cell] as number,
            y: surface.points.y[cell] as number,
            lon: surface.points.lon[cell] as number,
            lat: surface.points.lat[cell] as number,
            cell: surface.cells[cell] as string,
          }))
      } else {
        const kinds = options.kinds?.length ? new Set<string>(options.kinds) : undefined
        const level = s.area.level
        sites = (await analysis.records())
          .filter(
            (p) =>
              !p.is_meeting_place &&
              p.status === 'active' &&
              (kinds ? kinds.has(p.kind) : p.kind !== 'bench' && p.kind !== 'picnic_table') &&
              (level === 'province'
                ? p.gemeente_code !== null
                : p[`${level}_code`] === s.area.code),
          )
          .slice(0, options.limit)
          .map((p) => {
            const [x, y] = lonLatToRd(p.lon, p.lat)
            return { x, y, lon: p.lon, lat: p.lat, asset: p }
          })
      }
      const reach = await analysis.sitesFor(s.res, s.mode)
      const candidates: Candidate[] = sites.map((site) => {
        const near = reach.around(site.x, site.y, s.thresholdM)
        return { covers: near.origins.filter((o) => (weight[o] as number) > 0) }
      })
      const picks = greedyCover(candidates, weight, options.k)
      let within = total - uncovered
      return {
        surface,
        version: today.version,
        inhabitants: total,
        withinToday: total - uncovered,
        candidateCount: sites.length,
        picks: picks.map((p) => {
          within += p.gain
          const site = sites[p.candidate] as Site
          return {
            lon: site.lon,
            lat: site.lat,
            cell: site.cell ?? latLngToCell(site.lat, site.lon, s.res),
            asset: site.asset
              ? { id: site.asset.id, name: site.asset.name, kind: site.asset.kind }
              : null,
            gain: p.gain,
            withinAfter: within,
          }
        }),
      }
    },
  }
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

export type Planning = ReturnType<typeof createPlanning>
export type { Coverage }
