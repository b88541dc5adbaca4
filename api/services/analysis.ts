import { setImmediate as nextTurn } from 'node:timers/promises'
import { cellToParent, latLngToCell } from 'h3-js'
import type { AreaLevel } from '../domain/areas.js'
import { coverage, type Selection } from '../domain/coverage.js'
import { conflict } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'
import { lonLatToRd } from '../domain/geo.js'
import { countedPlaces, type PlaceFilter, type PlaceRecord } from '../domain/places.js'
import type { DistanceMethod, Mode, Points, Reach } from '../domain/reach.js'
import type { SurfaceResolution } from '../domain/surface.js'
import type { Database } from '../db/database.js'
import { listAreaNames, listPlaceRecords } from '../repositories/analysis.js'
import {
  dataVersion,
  loadControls,
  loadSurface,
  type SurfaceColumns,
  surfaceMeta,
  type Control,
  type DataVersion,
  type SurfaceMeta,
} from '../repositories/population.js'
import type { Clock } from '../domain/clock.js'
import type { Networks } from './network.js'
import type { Compute } from './compute/pool.js'
import { shared } from './compute/shared.js'
import type { SitesInput } from './compute/tasks.js'
import { gapCellsFromRows, type GapAreaResult, type GapCellRow } from '../domain/gap-areas.js'
import { chainOf } from './population.js'
import {
  detourFactors,
  isNetworkReach,
  meanDetour,
  unreachableByReason,
} from '../domain/network/reach.js'

/** Default threshold (m) per mode (DOMAIN.md): about 10 minutes' walk, or by bike. */
export const DEFAULT_THRESHOLD: Record<Mode, number> = { line: 800, walk: 800, bike: 2500 }

const CODE_LEVELS = ['gemeente', 'wijk', 'buurt', 'pc4'] as const

/** One stored resolution in typed arrays, with a selection of cells per area code. */
export interface LoadedSurface {
  readonly res: SurfaceResolution
  readonly cells: readonly string[]
  /** Fractional inhabitants per cell (the units' counts, placed by the dasymetric model). */
  readonly inhabitants: Float64Array
  readonly points: Points
  /** The wijk, buurt and PC4 that hold most of each cell's inhabitants. */
  readonly wijk: readonly (string | null)[]
  readonly buurt: readonly (string | null)[]
  readonly pc4: readonly (string | null)[]
  /**
   * Per area code (every level) and 'province': its cells and inhabitants in each. An
   * administrative area's inhabitants are scaled to its own official count (its control total),
   * so its figures add up to CBS's number; a PC4 area's are what the surface holds.
   */
  readonly selections: ReadonlyMap<string, Selection>
  /** Control totals by code: the official count and the year it is of. */
  readonly controls: ReadonlyMap<string, Control>
  /**
   * The portions themselves: the inhabitants of one unit and PC4 in one cell (codes as indices
   * into `codes`; -1: no PC4), for figures that name the parts of a cell (gap areas).
   */
  readonly portions: {
    readonly cell: Int32Array
    readonly unit: Int32Array
    readonly pc4: Int32Array
    readonly inhabitants: Float64Array
    readonly codes: readonly string[]
  }
  readonly meta: SurfaceMeta
}

interface LoadedPlaces {
  readonly records: readonly PlaceRecord[]
  /** Resolution-10 cell of each record, for density at any coarser resolution. */
  readonly cells10: readonly string[]
}

export interface AreaRef {
  readonly code: string
  readonly name: string
  readonly level: AreaLevel | 'province'
}

/** Where an area lies (a point inside it) and how large it is, to name parts of it. */
export interface AreaShape {
  readonly centre: [number, number]
  readonly areaKm2: number
}

export interface ReachResult {
  readonly surface: LoadedSurface
  readonly reach: Reach
  readonly counted: readonly PlaceRecord[]
  readonly version: DataVersion
}

export interface AnalysisDeps {
  readonly db: Database
  readonly clock: Clock
  /** The distance methods this installation has; the network issue adds walk and bike. */
  readonly methods: Partial<Record<Mode, DistanceMethod>>
  readonly regionName: string
  /** The stored networks, for their source notes; absent in engine-only tests. */
  readonly networks?: Networks | undefined
  /** Where heavy work runs: worker threads in the service, this thread in tests and scripts. */
  readonly compute: Compute
}

function toPoints(lon: number[], lat: number[]): Points {
  const x = new Float64Array(lon.length)
  const y = new Float64Array(lon.length)
  for (let i = 0; i < lon.length; i++) {
    const [px, py] = lonLatToRd(lon[i] as number, lat[i] as number)
    x[i] = px
    y[i] = py
  }
  return { x, y, lon: Float64Array.from(lon), lat: Float64Array.from(lat) }
}

/** Builds the in-memory surface of one resolution from its stored columns and control totals. */
export function buildSurface(
  res: SurfaceResolution,
  rows: SurfaceColumns,
  meta: SurfaceMeta,
  controls: readonly Control[],
): LoadedSurface {
  const { cells: stored, portions: parts } = rows
  const index = new Map(stored.cell.map((cell, i) => [cell, i]))
  const n = stored.cell.length
  // In shared memory: the compute threads read the surface without a copy per task.
  const points: Points = {
    x: shared(stored.x),
    y: shared(stored.y),
    lon: shared(stored.lon),
    lat: shared(stored.lat),
  }
  const wijk: (string | null)[] = new Array<string | null>(n).fill(null)
  const buurt: (string | null)[] = new Array<string | null>(n).fill(null)
  const pc4: (string | null)[] = new Array<string | null>(n).fill(null)
  const largest = new Float64Array(n)
  const largestPc4 = new Float64Array(n)
  const groups = new Map<string, Map<number, number>>()
  const add = (code: string | null, cell: number, inhabitants: number) => {
    if (!code) return
    let g = groups.get(code)
    if (!g) groups.set(code, (g = new Map<number, number>()))
    g.set(cell, (g.get(cell) ?? 0) + inhabitants)
  }
  const codeIndex = new Map<string, number>()
  const codes: string[] = []
  const indexOf = (code: string) => {
    let i = codeIndex.get(code)
    if (i === undefined) {
      i = codes.length
      codes.push(code)
      codeIndex.set(code, i)
    }
    return i
  }
  // The portions of stored cells, as indices (a portion of a cell not stored is left out).
  const kept = {
    cell: [] as number[],
    unit: [] as number[],
    pc4: [] as number[],
    inhabitants: [] as number[],
  }
  // Per cell, the inhabitants of each unit and PC4 in it, to name the cell by its largest.
  const perUnit = new Map<string, number>()
  const perPc4 = new Map<string, number>()
  for (let i = 0; i < parts.cell.length; i++) {
    const c = index.get(parts.cell[i] as string)
    if (c === undefined) continue
    const unit = parts.unit[i] as string
    const gemeenteCode = parts.gemeente[i] ?? null
    const wijkCode = parts.wijk[i] ?? null
    const buurtCode = parts.buurt[i] ?? null
    const pc4Code = parts.pc4[i] ?? null
    const inhabitants = parts.inhabitants[i] as number
    for (const code of [gemeenteCode, wijkCode, buurtCode, pc4Code, 'province'])
      add(code, c, inhabitants)
    if (unit !== wijkCode && unit !== buurtCode && unit !== gemeenteCode) add(unit, c, inhabitants)
    const unitKey = `${c}|${unit}`
    const u = (perUnit.get(unitKey) ?? 0) + inhabitants
    perUnit.set(unitKey, u)
    if (u > (largest[c] as number)) {
      largest[c] = u
      wijk[c] = wijkCode
      buurt[c] = buurtCode
    }
    if (pc4Code) {
      const pcKey = `${c}|${pc4Code}`
      const v = (perPc4.get(pcKey) ?? 0) + inhabitants
      perPc4.set(pcKey, v)
      if (v > (largestPc4[c] as number)) {
        largestPc4[c] = v
        pc4[c] = pc4Code
      }
    }
    kept.cell.push(c)
    kept.unit.push(indexOf(unit))
    kept.pc4.push(pc4Code ? indexOf(pc4Code) : -1)
    kept.inhabitants.push(inhabitants)
  }
  const portions = {
    cell: Int32Array.from(kept.cell),
    unit: Int32Array.from(kept.unit),
    pc4: Int32Array.from(kept.pc4),
    inhabitants: Float64Array.from(kept.inhabitants),
    codes,
  }
  const byCode = new Map(controls.map((c) => [c.code, c]))
  // The province: its gemeenten's official counts together, when every gemeente has one.
  const gemeenten = controls.filter((c) => c.level === 'gemeente')
  const province: Control | undefined =
    gemeenten.length > 0 &&
    [...groups.keys()].every((code) => !/^GM/.test(code) || byCode.has(code))
      ? {
          code: 'province',
          level: 'gemeente',
          year: gemeenten.every((g) => g.year === gemeenten[0]?.year)
            ? (gemeenten[0]?.year ?? null)
            : null,
          official: gemeenten.reduce((s, g) => s + g.official, 0),
          surface: gemeenten.reduce((s, g) => s + g.surface, 0),
        }
      : undefined
  if (province) byCode.set('province', province)
  const selections = new Map<string, Selection>()
  for (const [code, g] of groups) {
    const control = byCode.get(code)
    let held = 0
    for (const v of g.values()) held += v
    // Scaled so the area's cells hold its own official count (exactly, up to floating point).
    const factor = control && held > 0 ? control.official / held : 1
    const cells = [...g.keys()].sort((a, b) => a - b)
    selections.set(code, {
      cell: shared(Int32Array.from(cells)),
      inhabitants: shared(Float64Array.from(cells, (c) => (g.get(c) as number) * factor)),
    })
  }
  return {
    res,
    cells: stored.cell,
    inhabitants: shared(stored.inhabitants),
    points,
    wijk,
    buurt,
    pc4,
    selections,
    controls: byCode,
    portions,
    meta,
  }
}

/**
 * The gap cells of an area as rows, one per unit and PC4 part of a cell, each named by its own
 * wijk, buurt and PC4 and scaled like the area's selection (to its control total), so a cell on
 * a boundary counts per part and a gap area is named after the parts inside the area.
 */
function gapRows(
  surface: LoadedSurface,
  nearest: Float64Array,
  area: AreaRef,
  thresholdM: number,
): GapCellRow[] {
  const { portions } = surface
  const chains = portions.codes.map(chainOf)
  const member = (u: number, pc4: number): boolean => {
    if (area.level === 'province') return chains[u]?.gemeente !== null
    if (area.level === 'pc4') return portions.codes[pc4] === area.code
    const c = chains[u]
    return (c?.[area.level] ?? null) === area.code
  }
  let raw = 0
  const picked: number[] = []
  for (let k = 0; k < portions.cell.length; k++) {
    if (!member(portions.unit[k] as number, portions.pc4[k] as number)) continue
    raw += portions.inhabitants[k] as number
    picked.push(k)
  }
  const selection = surface.selections.get(area.code)
  let scaled = 0
  if (selection) for (const n of selection.inhabitants) scaled += n
  const factor = raw > 0 ? scaled / raw : 1
  const rows: GapCellRow[] = []
  for (const k of picked) {
    const c = portions.cell[k] as number
    const d = nearest[c] as number
    const n = (portions.inhabitants[k] as number) * factor
    if (!(n > 0) || d <= thresholdM) continue
    const chain = chains[portions.unit[k] as number]
    const pc4 = portions.pc4[k] as number
    rows.push({
      h3: surface.cells[c] as string,
      inhabitants: n,
      distanceM: d,
      wijk: chain?.wijk ?? chain?.gemeente ?? area.code,
      buurt: chain?.buurt ?? null,
      pc4: pc4 >= 0 ? (portions.codes[pc4] ?? null) : null,
    })
  }
  return rows
}

/** A stable key for a place filter, for caches and fingerprints. */
export function filterKey(filter: PlaceFilter): string {
  return JSON.stringify({
    kinds: filter.kinds ? [...filter.kinds].sort() : null,
    meetingPlacesOnly: filter.meetingPlacesOnly,
    statuses: [...filter.statuses].sort(),
    wheelchair: filter.wheelchair ?? null,
    freeEntry: filter.freeEntry ?? null,
    openAt: filter.openAt ?? null,
    openUnknown: filter.openUnknown,
    approximate: filter.approximate,
  })
}

const noSurface = () => conflict(PROBLEM.noInhabitants)

/**
 * The gap analysis engine: population surface × counted places × a distance method. Surfaces and
 * places are cached per data version; every request checks the version first, so an added,
 * moved or closed place changes the next answer without a restart or a manual recompute.
 */
export function createAnalysis(deps: AnalysisDeps) {
  const surfaces = new Map<string, Promise<LoadedSurface>>()
  let places: { version: number; value: Promise<LoadedPlaces> } | undefined
  let areaNames:
    | {
        version: number
        value: Promise<{ refs: Map<string, AreaRef>; shapes: Map<string, AreaShape> }>
      }
    | undefined
  const reaches = new Map<string, Promise<ReachResult>>()

  async function surfaceFor(res: SurfaceResolution, version: DataVersion): Promise<LoadedSurface> {
    const key = `${version.areas}|${res}`
    let loaded = surfaces.get(key)
    if (!loaded) {
      for (const k of surfaces.keys()) if (!k.startsWith(`${version.areas}|`)) surfaces.delete(k)
      loaded = (async () => {
        const meta = await surfaceMeta(deps.db)
        if (!meta || meta.inhabitants === 0) throw noSurface()
        const columns = await loadSurface(deps.db, res)
        const controls = await loadControls(deps.db)
        // Requests that arrived during the load (on PGlite it holds this thread) go first.
        await nextTurn()
        return buildSurface(res, columns, meta, controls)
      })()
      surfaces.set(key, loaded)
      loaded.catch(() => surfaces.delete(key))
    }
    return loaded
  }

  function placesFor(version: DataVersion): Promise<LoadedPlaces> {
    if (places?.version !== version.assets) {
      const value = listPlaceRecords(deps.db).then((records) => ({
        records,
        cells10: records.map((r) => latLngToCell(r.lat, r.lon, 10)),
      }))
      places = { version: version.assets, value }
      value.catch(() => (places = undefined))
    }
    return places.value
  }

  async function areasAndShapes(version: DataVersion) {
    if (areaNames?.version !== version.areas) {
      const value = listAreaNames(deps.db).then((rows) => ({
        refs: new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, level: r.level }])),
        shapes: new Map(
          rows.map((r) => [
            r.code,
            { centre: [r.lon, r.lat] as [number, number], areaKm2: r.area_km2 },
          ]),
        ),
      }))
      areaNames = { version: version.areas, value }
      // A failed read (database down) must not stick: the next request reads again.
      value.catch(() => {
        if (areaNames?.value === value) areaNames = undefined
      })
    }
    return areaNames.value
  }

  async function areas(version: DataVersion): Promise<Map<string, AreaRef>> {
    return (await areasAndShapes(version)).refs
  }

  const noNetworkFor = (mode: Mode) => conflict(PROBLEM.networkUnavailable(mode))

  function methodFor(mode: Mode): DistanceMethod {
    const method = deps.methods[mode]
    if (!method) {
      throw noNetworkFor(mode)
    }
    return method
  }

  /** Distances and counts for every populated cell at `res`, cached per data version. */
  async function reachFor(
    res: SurfaceResolution,
    mode: Mode,
    filter: PlaceFilter,
  ): Promise<ReachResult> {
    const method = methodFor(mode)
    const version = await dataVersion(deps.db)
    const network = mode === 'line' ? 0 : version.network
    const key = `${version.assets}|${version.areas}|${network}|${res}|${mode}|${filterKey(filter)}`
    const hit = reaches.get(key)
    if (hit) return hit
    // The promise is cached, so concurrent requests for the same figures share one computation.
    const value = (async () => {
      const [surface, loaded] = await Promise.all([surfaceFor(res, version), placesFor(version)])
      const counted = countedPlaces(loaded.records, filter)
      const reach = await method.measure(
        surface.points,
        toPoints(
          counted.map((p) => p.lon),
          counted.map((p) => p.lat),
        ),
      )
      return { surface, reach, counted, version }
    })()
    reaches.set(key, value)
    value.catch(() => {
      if (reaches.get(key) === value) reaches.delete(key)
    })
    if (reaches.size > 32) reaches.delete(reaches.keys().next().value as string)
    return value
  }

  const gapAreaCache = new WeakMap<ReachResult, Map<string, Promise<GapAreaResult>>>()

  /** Counted places per area code (every level) and in the province, once per cached reach. */
  const areaCounts = new WeakMap<ReachResult, Map<string, number>>()
  function placesIn(result: ReachResult, area: AreaRef): number {
    let counts = areaCounts.get(result)
    if (!counts) {
      counts = new Map()
      const add = (code: string | null) => {
        if (code !== null) counts?.set(code, (counts.get(code) ?? 0) + 1)
      }
      for (const p of result.counted) {
        add(p.gemeente_code)
        add(p.wijk_code)
        add(p.buurt_code)
        add(p.pc4_code)
        if (p.gemeente_code !== null) add('province')
      }
      areaCounts.set(result, counts)
    }
    return counts.get(area.level === 'province' ? 'province' : area.code) ?? 0
  }

  /** Network ÷ straight-line distance per cell (NaN where it says nothing). */
  async function detourFor(res: SurfaceResolution, mode: Mode, filter: PlaceFilter) {
    const [network, line] = await Promise.all([
      reachFor(res, mode, filter),
      reachFor(res, 'line', filter),
    ])
    return { ...network, line: line.reach, factors: detourFactors(network.reach, line.reach) }
  }

  /** The source note of the network a mode uses, for a figure's inputs. */
  async function networkInputs(mode: Mode) {
    if (mode === 'line' || !deps.networks) return null
    const loaded = await deps.networks.networkFor(mode)
    if (!loaded) return null
    return {
      source: loaded.meta.source,
      importedAt: loaded.meta.importedAt,
      nodes: loaded.meta.nodes,
      edges: loaded.meta.edges,
      ferryPenaltyMin: loaded.meta.settings.ferryPenaltyMin,
      ferryPenaltyM: loaded.meta.settings.ferryPenaltyM[mode],
      snapLimitM: deps.networks.snapLimitM,
      licence: 'ODbL 1.0, © OpenStreetMap contributors',
    }
  }

  /**
   * What a compute thread needs to find who lives near a site (a proposed place, a candidate):
   * the surface's cells and, over a network, its graph; keyed by their versions so each thread
   * builds its site index once.
   */
  async function sitesInput(res: SurfaceResolution, mode: Mode): Promise<SitesInput> {
    methodFor(mode)
    const version = await dataVersion(deps.db)
    const surface = await surfaceFor(res, version)
    const key = `${version.areas}|${surface.meta.built_at}|${res}|${mode}`
    if (mode === 'line') return { key, origins: surface.points }
    const loaded = await deps.networks?.networkFor(mode)
    if (!loaded || !deps.networks) throw noNetworkFor(mode)
    return {
      key: `${key}|${loaded.version}|${deps.networks.snapLimitM}`,
      origins: surface.points,
      network: { graph: loaded.graph, snapLimitM: deps.networks.snapLimitM },
    }
  }

  return {
    reachFor,
    detourFor,
    networkInputs,
    sitesInput,
    compute: deps.compute,

    /** Distances from every cell of `surface` to the given places (lon/lat), by `mode`. */
    async measure(
      surface: LoadedSurface,
      mode: Mode,
      lon: number[],
      lat: number[],
    ): Promise<Reach> {
      return methodFor(mode).measure(surface.points, toPoints(lon, lat))
    },

    /** Every live asset, as the analysis sees it (for candidates and scenarios). */
    async records(): Promise<readonly PlaceRecord[]> {
      return (await placesFor(await dataVersion(deps.db))).records
    },

    /** Loads the surface of a resolution and the places ahead of the first request. */
    async warm(res: SurfaceResolution): Promise<void> {
      // One part after the other, each giving waiting requests their turn: a service that just
      // started answers while it loads (the figures themselves wait for the parts they need).
      const version = await dataVersion(deps.db)
      await surfaceFor(res, version)
      await nextTurn()
      await placesFor(version)
      await nextTurn()
      await areas(version)
    },

    async area(code: string): Promise<AreaRef | undefined> {
      if (code === 'province') return { code, name: deps.regionName, level: 'province' }
      return (await areas(await dataVersion(deps.db))).get(code)
    },

    async areaNames(): Promise<Map<string, AreaRef>> {
      return areas(await dataVersion(deps.db))
    },

    /** Coverage of one area (or 'province'), computed on the cached reach. */
    async coverageOf(
      area: AreaRef,
      res: SurfaceResolution,
      mode: Mode,
      thresholdM: number,
      filter: PlaceFilter,
      maxGaps = Infinity,
    ) {
      const result = await reachFor(res, mode, filter)
      const selection = result.surface.selections.get(area.code) ?? {
        cell: new Int32Array(0),
        inhabitants: new Float64Array(0),
      }
      const figures = coverage(selection, result.reach, thresholdM, maxGaps)
      let network = null
      if (mode !== 'line') {
        const detour = await detourFor(res, mode, filter)
        const mean = meanDetour(selection, detour.factors)
        network = {
          unreachable: isNetworkReach(result.reach)
            ? unreachableByReason(selection, result.reach)
            : null,
          placesOffNetwork: isNetworkReach(result.reach) ? result.reach.placesOffNetwork : null,
          meanDetourFactor: mean.mean,
          detourInhabitants: mean.inhabitants,
        }
      }
      return { ...result, figures, placesInArea: placesIn(result, area), network }
    },

    /**
     * The gap areas of an area: its populated cells beyond the threshold, merged where they
     * touch, ranked most severe first (api/domain/gap-areas.ts), the `limit` first with their
     * outlines. Computed on the compute threads, once per reach, area, threshold and limit.
     */
    async gapAreasOf(
      area: AreaRef,
      res: SurfaceResolution,
      mode: Mode,
      thresholdM: number,
      filter: PlaceFilter,
      limit: number,
    ): Promise<GapAreaResult> {
      const result = await reachFor(res, mode, filter)
      let byKey = gapAreaCache.get(result)
      if (!byKey) gapAreaCache.set(result, (byKey = new Map<string, Promise<GapAreaResult>>()))
      const key = `${area.code}|${thresholdM}|${limit}`
      let hit = byKey.get(key)
      if (!hit) {
        hit = (async () => {
          const { surface, reach } = result
          const rows = gapRows(surface, reach.nearest, area, thresholdM)
          const { refs, shapes } = await areasAndShapes(result.version)
          return deps.compute.run({
            kind: 'gapAreas',
            cells: gapCellsFromRows(rows),
            context: {
              thresholdM,
              names: new Map([...refs.values()].map((a) => [a.code, a.name])),
              wijken: new Map(
                [...shapes].filter(([code]) => code.startsWith('WK') || code.startsWith('GM')),
              ),
            },
            options: { limit },
          })
        })()
        byKey.set(key, hit)
        hit.catch(() => byKey?.delete(key))
        if (byKey.size > 32) byKey.delete(byKey.keys().next().value as string)
      }
      return hit
    },

    /** The places a filter counts (the same selection every figure uses). */
    async counted(filter: PlaceFilter): Promise<readonly PlaceRecord[]> {
      const loaded = await placesFor(await dataVersion(deps.db))
      return countedPlaces(loaded.records, filter)
    },

    /** Live assets per cell at any resolution 6–10 (counted at res 10, summed to parents). */
    async density(res: number, filter: Pick<PlaceFilter, 'kinds' | 'statuses'>) {
      const loaded = await placesFor(await dataVersion(deps.db))
      const kinds = filter.kinds?.length ? new Set<string>(filter.kinds) : undefined
      const statuses = new Set<string>(filter.statuses)
      const cells = new Map<
        string,
        { total: number; meetingPlaces: number; byKind: Record<string, number> }
      >()
      loaded.records.forEach((p, i) => {
        if (kinds && !kinds.has(p.kind)) return
        if (!statuses.has(p.status)) return
        const c10 = loaded.cells10[i] as string
        const cell = res === 10 ? c10 : cellToParent(c10, res)
        const entry = cells.get(cell) ?? { total: 0, meetingPlaces: 0, byKind: {} }
        entry.total++
        if (p.is_meeting_place) entry.meetingPlaces++
        entry.byKind[p.kind] = (entry.byKind[p.kind] ?? 0) + 1
        cells.set(cell, entry)
      })
      return cells
    },

    levels: CODE_LEVELS,
  }
}

export type Analysis = ReturnType<typeof createAnalysis>
