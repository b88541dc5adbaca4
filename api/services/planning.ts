import { latLngToCell } from 'h3-js'
import { coverage, type Coverage, type Selection } from '../domain/coverage.js'
import { invalidInput } from '../domain/errors.js'
import { FIELD, PROBLEM } from '../domain/messages.js'
import { lonLatToRd } from '../domain/geo.js'
import { defaultMeetingPlace, type KindCode } from '../domain/kinds.js'
import { density, MAX_SUGGESTION_SECONDS, suggestionCost } from '../domain/limits.js'
import { countedPlaces, DEFAULT_PLACE_FILTER, type PlaceRecord } from '../domain/places.js'
import type { Mode, Reach } from '../domain/reach.js'
import type { CellChange, ScenarioChanges } from '../domain/scenario.js'
import type { SurfaceResolution } from '../domain/surface.js'
import type { Analysis, AreaRef, LoadedSurface } from './analysis.js'
import { DEFAULT_MAX_TASK_MS } from './compute/pool.js'
import { inhabitantsByCell } from './compute/tasks.js'

export type { CellChange, ProposedPlace, ScenarioChanges } from '../domain/scenario.js'

export interface ScenarioSettings {
  readonly area: AreaRef
  readonly res: SurfaceResolution
  readonly mode: Mode
  readonly thresholdM: number
}

const EMPTY: Selection = { cell: new Int32Array(0), inhabitants: new Float64Array(0) }

/** A time budget for one request's heavy part, from now. */
const budget = () => ({ deadline: Date.now() + DEFAULT_MAX_TASK_MS })

const tooMuch = (seconds: number) =>
  invalidInput(PROBLEM.suggestionTooExpensive(seconds, MAX_SUGGESTION_SECONDS), {
    fields: [
      { pointer: 'limit', in: 'query', code: 'too_expensive', message: FIELD.fewerCandidates },
    ],
    extra: {
      estimated_seconds: Math.round(seconds * 10) / 10,
      limit_seconds: MAX_SUGGESTION_SECONDS,
    },
  })

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
      const result = await analysis.compute.run({
        kind: 'preview',
        sites: await analysis.sitesInput(s.res, s.mode),
        area: { code: s.area.code, selection: inArea(today.surface, s.area).selection },
        base: base.nearest,
        today: today.reach.nearest,
        thresholdM: s.thresholdM,
        changes,
        budget: budget(),
      })
      return { surface: today.surface, version: today.version, ...result }
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
      const { selection, map } = inArea(surface, s.area)
      let assets: PlaceRecord[] = []
      if (options.candidates === 'assets') {
        const kinds = options.kinds?.length ? new Set<string>(options.kinds) : undefined
        const level = s.area.level
        assets = (await analysis.records())
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
      }
      const sites = await analysis.sitesInput(s.res, s.mode)
      const candidateCount =
        options.candidates === 'cells' ? Math.min(options.limit, map.size) : assets.length
      const graph = sites.network?.graph
      const cost = suggestionCost({
        candidates: candidateCount,
        thresholdM: s.thresholdM,
        cells: surface.cells.length,
        cellDensity: densityOf(surface),
        ...(graph
          ? { nodes: graph.nodeCount, nodeDensity: density(graph.nodeX, graph.nodeY) }
          : {}),
      })
      if (cost > MAX_SUGGESTION_SECONDS) throw tooMuch(cost)
      const rd = assets.map((p) => lonLatToRd(p.lon, p.lat))
      const result = await analysis.compute.run({
        kind: 'suggest',
        sites,
        area: selection,
        nearest: today.reach.nearest,
        thresholdM: s.thresholdM,
        k: options.k,
        candidates:
          options.candidates === 'cells'
            ? { kind: 'cells', limit: options.limit }
            : {
                kind: 'sites',
                x: Float64Array.from(rd, (p) => p[0]),
                y: Float64Array.from(rd, (p) => p[1]),
              },
        budget: budget(),
      })
      let within = result.withinToday
      return {
        surface,
        version: today.version,
        inhabitants: result.inhabitants,
        withinToday: result.withinToday,
        candidateCount: result.candidateCount,
        picks: result.picks.map((p) => {
          within += p.gain
          const asset = options.candidates === 'assets' ? assets[p.candidate] : undefined
          const lon = asset ? asset.lon : (surface.points.lon[p.candidate] as number)
          const lat = asset ? asset.lat : (surface.points.lat[p.candidate] as number)
          return {
            lon,
            lat,
            cell: asset ? latLngToCell(lat, lon, s.res) : (surface.cells[p.candidate] as string),
            asset: asset ? { id: asset.id, name: asset.name, kind: asset.kind } : null,
            gain: p.gain,
            withinAfter: within,
          }
        }),
      }
    },
  }
}

/** Populated cells per m² of the surface's extent (cached per surface). */
const densities = new WeakMap<LoadedSurface, number>()
function densityOf(surface: LoadedSurface): number {
  let d = densities.get(surface)
  if (d === undefined) densities.set(surface, (d = density(surface.points.x, surface.points.y)))
  return d
}

export type Planning = ReturnType<typeof createPlanning>
export type { Coverage }
