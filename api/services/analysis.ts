import { createHash } from 'node:crypto'
import { cellToParent, latLngToCell } from 'h3-js'
import type { AreaLevel } from '../domain/areas.js'
import { coverage, type Selection } from '../domain/coverage.js'
import { DomainError } from '../domain/errors.js'
import { lonLatToRd } from '../domain/geo.js'
import { countedPlaces, type PlaceFilter, type PlaceRecord } from '../domain/places.js'
import type { DistanceMethod, Mode, Points, Reach } from '../domain/reach.js'
import type { SurfaceResolution } from '../domain/surface.js'
import type { Database } from '../db/database.js'
import { listAreaNames, listPlaceRecords } from '../repositories/analysis.js'
import {
  dataVersion,
  loadSurface,
  surfaceMeta,
  type DataVersion,
  type SurfaceMeta,
} from '../repositories/population.js'
import type { Clock } from './assets.js'
import type { Networks } from './network.js'
import type { Compute } from './compute/pool.js'
import { shared } from './compute/shared.js'
import type { SitesInput } from './compute/tasks.js'
import {
  detourFactors,
  isNetworkReach,
  meanDetour,
  unreachableByReason,
} from '../domain/network/reach.js'

/** Default threshold (m) per mode (DOMAIN.md): about 10 minutes' walk, or by bike. */
export const DEFAULT_THRESHOLD: Record<Mode, number> = { line: 800, walk: 800, bike: 2500 }

const CODE_LEVELS = ['gemeente', 'wijk', 'buurt', 'pc4'] as const

/** One stored resolution in typed arrays, with a selection of portions per area code. */
export interface LoadedSurface {
  readonly res: SurfaceResolution
  readonly cells: readonly string[]
  readonly inhabitants: Int32Array
  readonly points: Points
  /** The wijk and buurt that hold most of each cell's inhabitants. */
  readonly wijk: readonly (string | null)[]
  readonly buurt: readonly (string | null)[]
  /** Portions per area code (every level) and 'province'. */
  readonly selections: ReadonlyMap<string, Selection>
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

/** Builds the in-memory surface of one resolution from its stored rows. */
export function buildSurface(
  res: SurfaceResolution,
  rows: Awaited<ReturnType<typeof loadSurface>>,
  meta: SurfaceMeta,
): LoadedSurface {
  const index = new Map(rows.cells.map((c, i) => [c.cell, i]))
  const n = rows.cells.length
  // In shared memory: the compute threads read the surface without a copy per task.
  const points: Points = {
    x: shared(Float64Array.from(rows.cells, (c) => c.x)),
    y: shared(Float64Array.from(rows.cells, (c) => c.y)),
    lon: shared(Float64Array.from(rows.cells, (c) => c.lon)),
    lat: shared(Float64Array.from(rows.cells, (c) => c.lat)),
  }
  const wijk: (string | null)[] = new Array<string | null>(n).fill(null)
  const buurt: (string | null)[] = new Array<string | null>(n).fill(null)
  const largest = new Int32Array(n)
  const groups = new Map<string, { cell: number[]; inhabitants: number[] }>()
  const add = (code: string | null, cell: number, inhabitants: number) => {
    if (!code) return
    let g = groups.get(code)
    if (!g) groups.set(code, (g = { cell: [], inhabitants: [] }))
    g.cell.push(cell)
    g.inhabitants.push(inhabitants)
  }
  for (const p of rows.portions) {
    const c = index.get(p.cell)
    if (c === undefined) continue
    const codes = new Set([
      p.area_code,
      p.gemeente_code,
      p.wijk_code,
      p.buurt_code,
      p.pc4_code,
      'province',
    ])
    for (const code of codes) add(code, c, p.inhabitants)
    if (p.inhabitants > (largest[c] as number)) {
      largest[c] = p.inhabitants
      wijk[c] = p.wijk_code
      buurt[c] = p.buurt_code
    }
  }
  const selections = new Map<string, Selection>()
  for (const [code, g] of groups) {
    selections.set(code, {
      cell: shared(Int32Array.from(g.cell)),
      inhabitants: shared(Int32Array.from(g.inhabitants)),
    })
  }
  return {
    res,
    cells: rows.cells.map((c) => c.cell),
    inhabitants: Int32Array.from(rows.cells, (c) => c.inhabitants),
    points,
    wijk,
    buurt,
    selections,
    meta,
  }
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
  })
}

const noSurface = () =>
  new DomainError(
    'conflict',
    { nl: 'Nog geen inwoners geladen', en: 'No inhabitants loaded yet' },
    {
      nl: 'Er zijn nog geen gebieden met inwonersaantallen geladen. Laad ze met npm run import:areas.',
      en: 'No areas with inhabitant counts have been loaded yet. Load them with npm run import:areas.',
    },
  )

/**
 * The gap analysis engine: population surface × counted places × a distance method. Surfaces and
 * places are cached per data version; every request checks the version first, so an added,
 * moved or closed place changes the next answer without a restart or a manual recompute.
 */
export function createAnalysis(deps: AnalysisDeps) {
  const surfaces = new Map<string, Promise<LoadedSurface>>()
  let places: { version: number; value: Promise<LoadedPlaces> } | undefined
  let areaNames: { version: number; value: Promise<Map<string, AreaRef>> } | undefined
  const reaches = new Map<string, Promise<ReachResult>>()

  async function surfaceFor(res: SurfaceResolution, version: DataVersion): Promise<LoadedSurface> {
    const key = `${version.areas}|${res}`
    let loaded = surfaces.get(key)
    if (!loaded) {
      for (const k of surfaces.keys()) if (!k.startsWith(`${version.areas}|`)) surfaces.delete(k)
      loaded = (async () => {
        const meta = await surfaceMeta(deps.db)
        if (!meta || meta.inhabitants === 0) throw noSurface()
        return buildSurface(res, await loadSurface(deps.db, res), meta)
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

  async function areas(version: DataVersion): Promise<Map<string, AreaRef>> {
    if (areaNames?.version !== version.areas) {
      const value = listAreaNames(deps.db).then(
        (rows) =>
          new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, level: r.level }])),
      )
      areaNames = { version: version.areas, value }
      // A failed read (database down) must not stick: the next request reads again.
      value.catch(() => {
        if (areaNames?.value === value) areaNames = undefined
      })
    }
    return areaNames.value
  }

  const noNetworkFor = (mode: Mode) =>
    new DomainError(
      'conflict',
      { nl: 'Netwerk niet beschikbaar', en: 'Network not available' },
      {
        nl: `Afstanden over het wegennet (${mode === 'walk' ? 'lopen' : 'fietsen'}) kunnen nog niet: er is geen wegennet geladen. Gebruik mode=line.`,
        en: `Distances over the ${mode} network are not available: no network has been loaded. Use mode=line.`,
      },
    )

  function methodFor(mode: Mode): DistanceMethod {
    const method = deps.methods[mode]
    if (!method) {
      throw new DomainError(
        'conflict',
        { nl: 'Netwerk niet beschikbaar', en: 'Network not available' },
        {
          nl: `Afstanden over het wegennet (${mode === 'walk' ? 'lopen' : 'fietsen'}) kunnen nog niet: er is geen wegennet geladen. Gebruik mode=line.`,
          en: `Distances over the ${mode} network are not available: no network has been loaded. Use mode=line.`,
        },
      )
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
      const version = await dataVersion(deps.db)
      await Promise.all([surfaceFor(res, version), placesFor(version), areas(version)])
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
        inhabitants: new Int32Array(0),
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

    /** A short fingerprint of the data a figure was computed on. */
    fingerprint(version: DataVersion, meta: SurfaceMeta): string {
      return createHash('sha256')
        .update(`${version.assets}|${version.areas}|${meta.built_at}|${meta.inhabitants}`)
        .digest('hex')
        .slice(0, 16)
    },

    levels: CODE_LEVELS,
  }
}

export type Analysis = ReturnType<typeof createAnalysis>
