import { createHash } from 'node:crypto'
import { BAND_EDGES } from '../domain/coverage.js'
import type { AreaShare, GapArea } from '../domain/gap-areas.js'
import type { Bilingual } from '../domain/messages.js'
import { REPORT } from '../domain/report-messages.js'
import {
  registerGaps,
  registerSummary,
  type LocalTime,
  type PlaceFilter,
  type PlaceRecord,
  type RegisterGap,
  type RegisterSummary,
} from '../domain/places.js'
import type { Mode } from '../domain/reach.js'
import type { SurfaceResolution } from '../domain/surface.js'
import type { DataVersion, SurfaceMeta } from '../repositories/population.js'
import type { Analysis, AreaRef, ReachResult } from './analysis.js'
import type { Clock } from '../domain/clock.js'
import { POPULATION_MODEL_VERSION } from './population.js'

/**
 * What every figure says about itself (DOMAIN.md: numbers a municipality can check): the
 * population model and the year of its counts, resolution, mode, threshold, which places counted
 * (how many, from where, how recently checked, how many left out as approximate), whether the
 * register looks complete, and a fingerprint of everything the figure depends on, so a permalink
 * opened later can say that the data changed since.
 */

export const DISTANCE_METHOD: Record<Mode, string> = {
  line: 'straight line in RD New (EPSG:28992) metres, from the populated centre of each cell',
  walk:
    'shortest walking route over the OpenStreetMap network (footways, paths and roads where walking is allowed), ' +
    'from the populated centre of each cell; cell and place are joined to the nearest usable path in a straight line ' +
    '(that distance is included); ferries count their crossing plus a waiting time',
  bike:
    'shortest cycling route over the OpenStreetMap network (cycleways and roads where cycling is allowed, one-way ' +
    'for bikes where tagged), from the populated centre of each cell; cell and place are joined to the nearest ' +
    'usable path in a straight line (included); ferries count their crossing plus a waiting time',
}

/** How the population surface is made, in one paragraph (the report has it in Dutch too). */
export function populationMethod(meta: SurfaceMeta): string {
  const m = meta.model
  const ancillary = m.ancillary
    .map((a) => `${a.source}${a.year ? ` (${a.year})` : ''} in ${a.unitsWeighted} of them`)
    .join('; ')
  return (
    `Each ${m.units ?? 'area'}'s own CBS count${meta.year ? ` of ${meta.year}` : ''} is placed on the H3 resolution-10 cells ` +
    `of its habitable land (land narrower than ${m.habitable.narrowLandM} m, such as dikes and dams, and far-off detached ` +
    `parts under ${Math.round(m.habitable.smallPartShare * 100)}% of its land more than ${m.habitable.farPartM / 1000} km ` +
    `away hold no homes), each cell weighted by ${ancillary ? `the density of ${ancillary}` : 'its land area'}` +
    `${m.unitsByArea > 0 ? ` (by land area alone in ${m.unitsByArea})` : ''}. Cells hold fractional inhabitants: ` +
    'nothing is rounded. Coarser cells hold the sum of their children. Every gemeente, wijk and buurt keeps its own ' +
    'CBS count (a control total); PC4 areas only weigh cells and never decide which gemeente or wijk a person lives in.'
  )
}

const pad = (n: number) => String(n).padStart(2, '0')
const formatLocal = (t: LocalTime) =>
  `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`

/** The filter as explicit query parameters: part of every permalink. */
export function filterParams(f: PlaceFilter): Record<string, string> {
  return {
    ...(f.kinds?.length ? { kind: [...f.kinds].sort().join(',') } : {}),
    meetingPlacesOnly: String(f.meetingPlacesOnly),
    status: [...f.statuses].sort().join(','),
    ...(f.wheelchair ? { wheelchair: f.wheelchair } : {}),
    ...(f.freeEntry === undefined ? {} : { freeEntry: String(f.freeEntry) }),
    ...(f.openAt ? { openAt: formatLocal(f.openAt), openUnknown: f.openUnknown } : {}),
    approximate: f.approximate,
  }
}

/** The network a figure used and its settings, when it went over one. */
export interface NetworkPin {
  readonly version: number
  readonly snapLimitM: number
  readonly ferryPenaltyMin: number
}

/**
 * The data versions a figure was computed on, as a permalink carries them: places.areas.network
 * (the network's version only for walking and cycling).
 */
export const dataPin = (version: DataVersion, mode: Mode) =>
  `${version.assets}.${version.areas}.${mode === 'line' ? 0 : version.network}`

/**
 * A short fingerprint of everything a figure depends on: the register's and the areas' versions
 * (counts included), the population model and its year, the network and its settings (walk and
 * bike), the resolution, mode, threshold and which places count.
 */
export function fingerprint(o: {
  version: DataVersion
  meta: SurfaceMeta
  network: NetworkPin | null
  res: number
  mode: Mode
  thresholdM: number
  filter: PlaceFilter
}): string {
  const filter = filterParams(o.filter)
  return createHash('sha256')
    .update(
      JSON.stringify([
        o.version.assets,
        o.version.areas,
        o.meta.model_version,
        o.meta.year,
        o.meta.built_at,
        o.network ? [o.network.version, o.network.snapLimitM, o.network.ferryPenaltyMin] : null,
        o.res,
        o.mode,
        o.thresholdM,
        Object.keys(filter)
          .sort()
          .map((k) => [k, filter[k]]),
      ]),
    )
    .digest('hex')
    .slice(0, 16)
}

/** A permalink's pin: the data versions and fingerprint it was made with. */
export interface Pin {
  readonly data?: string | undefined
  readonly fp?: string | undefined
}

/** What changed since a permalink was made, or null when nothing did. */
export function changedSince(
  pin: Pin,
  now: { data: string; fingerprint: string },
): {
  since: string | null
  places: boolean
  areas: boolean
  network: boolean
  settings: boolean
  message: Bilingual
} | null {
  if (!pin.fp || pin.fp === now.fingerprint) return null
  const [a0, r0, n0] = (pin.data ?? '').split('.')
  const [a1, r1, n1] = now.data.split('.')
  const places = pin.data !== undefined && a0 !== a1
  const areas = pin.data !== undefined && r0 !== r1
  const network = pin.data !== undefined && n0 !== n1
  const settings = !places && !areas && !network
  const what = [
    places ? REPORT.changedPlaces : null,
    areas ? REPORT.changedAreas : null,
    network ? REPORT.changedNetwork : null,
  ].filter((x): x is Bilingual => x !== null)
  return {
    since: pin.data ?? null,
    places,
    areas,
    network,
    settings,
    message: REPORT.dataChanged(what),
  }
}

/** Whether the register for an area looks complete, with what to do when it does not. */
export interface RegisterNotice {
  readonly complete: boolean
  readonly gaps: readonly RegisterGap[]
  readonly message: Bilingual | null
  readonly advice: Bilingual | null
}

/** The register notice for an area: plain Dutch (B1) and English, with what to do. */
export function registerNotice(
  summary: RegisterSummary,
  inhabitants: number,
  osmPlacesInRegion: number,
): RegisterNotice {
  const gaps = registerGaps(summary, inhabitants, osmPlacesInRegion)
  if (gaps.length === 0) return { complete: true, gaps, message: null, advice: null }
  return {
    complete: false,
    gaps,
    message: REPORT.registerNotice({
      noOsmImport: gaps.includes('no_osm_import'),
      fewPlaces: gaps.includes('few_places') ? { counted: summary.counted, inhabitants } : null,
      approximateLeftOut: gaps.includes('approximate_left_out') ? summary.leftOutApproximate : null,
    }),
    advice: REPORT.registerAdvice,
  }
}

const inArea = (area: AreaRef) => (p: PlaceRecord) =>
  area.level === 'province' ? p.gemeente_code !== null : p[`${area.level}_code`] === area.code

/**
 * The `inputs` of a figure: everything it was computed from, a fingerprint of it, a link to the
 * places it counted, and — when a permalink's pin is given — what changed since.
 */
export async function figureInputs(
  analysis: Analysis,
  clock: Clock,
  o: {
    result: ReachResult
    res: SurfaceResolution
    mode: Mode
    thresholdM: number
    filter: PlaceFilter
    area?: AreaRef | undefined
    /** Inhabitants of the area, for the register notice. */
    inhabitants?: number | undefined
    pin?: Pin | undefined
  },
) {
  const { result, filter } = o
  const { surface, version } = result
  const meta = surface.meta
  const network = await analysis.networkInputs(o.mode)
  const records = await analysis.records()
  const now = clock.now()
  const summary = registerSummary(records, filter, now)
  const areaSummary = o.area ? registerSummary(records, filter, now, inArea(o.area)) : null
  const osmPlaces = records.filter((p) => p.source === 'osm').length
  const fp = fingerprint({
    version,
    meta,
    network: network
      ? {
          version: version.network,
          snapLimitM: network.snapLimitM,
          ferryPenaltyMin: network.ferryPenaltyMin,
        }
      : null,
    res: o.res,
    mode: o.mode,
    thresholdM: o.thresholdM,
    filter,
  })
  const data = dataPin(version, o.mode)
  const changed = o.pin ? changedSince(o.pin, { data, fingerprint: fp }) : null
  return {
    population: {
      year: meta.year,
      years: meta.model.years,
      units: meta.source_level,
      sources: meta.sources,
      inhabitants: meta.inhabitants,
      ancillary: meta.model.ancillary,
      habitable: meta.model.habitable,
      controlTotals: `every gemeente, wijk and buurt keeps its own CBS count${meta.year ? ` of ${meta.year}` : ''}`,
      method: populationMethod(meta),
      modelVersion: meta.model_version ?? POPULATION_MODEL_VERSION,
      builtAt: meta.built_at,
    },
    resolution: o.res,
    mode: o.mode,
    thresholdM: o.thresholdM,
    distance: DISTANCE_METHOD[o.mode],
    ...(network ? { network } : {}),
    bandEdgesM: BAND_EDGES,
    places: {
      filter: filterParams(filter),
      ...summary,
      inArea: areaSummary,
      countedHref: `/api/v1/counted?${new URLSearchParams(filterParams(filter)).toString()}`,
    },
    ...(areaSummary && o.inhabitants !== undefined
      ? { register: registerNotice(areaSummary, o.inhabitants, osmPlaces) }
      : {}),
    dataVersion: {
      assets: version.assets,
      areas: version.areas,
      network: o.mode === 'line' ? null : version.network,
      data,
      fingerprint: fp,
    },
    ...(changed ? { dataChanged: changed } : {}),
    computedAt: now.toISOString(),
  }
}

const round = (v: number | null, decimals: number) =>
  v === null || !Number.isFinite(v) ? null : Number(v.toFixed(decimals))

/**
 * Inhabitants as the API gives them: the surface holds fractional inhabitants, so a figure is
 * rounded here, to hundredths, and only here (each figure on its own: no sum of rounded parts).
 */
export const people = (n: number) => Number(n.toFixed(2))

/** The coverage of one area with its inputs and permalink: what /api/coverage and the report show. */
export async function coverageDocument(
  analysis: Analysis,
  clock: Clock,
  o: {
    area: AreaRef
    res: SurfaceResolution
    mode: Mode
    thresholdM: number
    filter: PlaceFilter
    gaps: number
    /** How many gap areas to list (most severe first), with their outlines. */
    gapAreas?: number | undefined
    pin?: Pin | undefined
  },
) {
  const { area, res, filter } = o
  const threshold = o.thresholdM
  const result = await analysis.coverageOf(area, res, o.mode, threshold, filter, o.gaps)
  const areas = await analysis.gapAreasOf(area, res, o.mode, threshold, filter, o.gapAreas ?? 10)
  const { figures, surface } = result
  const names = await analysis.areaNames()
  const nameOf = (code: string | null) =>
    code ? { code, name: names.get(code)?.name ?? code } : null
  // An administrative area's inhabitants are its own CBS count, exactly (its control total).
  const control = surface.controls.get(area.code)
  const inhabitants = control ? control.official : people(figures.inhabitants)
  const inputs = await figureInputs(analysis, clock, {
    result,
    res,
    mode: o.mode,
    thresholdM: threshold,
    filter,
    area,
    inhabitants,
    pin: o.pin,
  })
  const params = new URLSearchParams({
    area: area.code,
    res: String(res),
    mode: o.mode,
    threshold: String(threshold),
    gaps: String(o.gaps),
    ...filterParams(filter),
    data: inputs.dataVersion.data,
    fp: inputs.dataVersion.fingerprint,
  })
  return {
    area,
    inhabitants,
    inhabitantsYear: control?.year ?? surface.meta.year,
    inhabitantsWithin: people(figures.inhabitantsWithin),
    share: round(figures.share, 6),
    unreachableInhabitants: people(figures.unreachableInhabitants),
    places: result.placesInArea,
    placesPer10k: inhabitants > 0 ? round((result.placesInArea * 10_000) / inhabitants, 2) : null,
    meanDistanceM: round(figures.meanDistanceM, 1),
    meanPlacesWithin: {
      '1km': round(figures.meanPlacesWithin['1km'], 3),
      '3km': round(figures.meanPlacesWithin['3km'], 3),
      '5km': round(figures.meanPlacesWithin['5km'], 3),
    },
    bands: figures.bands.map((b) => ({ ...b, inhabitants: people(b.inhabitants) })),
    gapCount: figures.gapCount,
    gapInhabitants: people(figures.gapInhabitants),
    gapAreaCount: areas.count,
    gapAreas: areas.areas.map(gapAreaJson),
    ...(result.network
      ? {
          network: {
            unreachableInhabitants: result.network.unreachable
              ? {
                  noPathNearby: people(result.network.unreachable.noPathNearby),
                  noPlaceReachable: people(result.network.unreachable.noPlaceReachable),
                }
              : null,
            placesOffNetwork: result.network.placesOffNetwork,
            meanDetourFactor: round(result.network.meanDetourFactor, 3),
            detourInhabitants: people(result.network.detourInhabitants),
          },
        }
      : {}),
    gaps: figures.gaps.map((g) => ({
      cell: surface.cells[g.cell],
      lon: round(surface.points.lon[g.cell] as number, 6),
      lat: round(surface.points.lat[g.cell] as number, 6),
      inhabitants: people(g.inhabitants),
      distanceM: round(g.distanceM, 1),
      severity: round(g.severity, 0),
      wijk: nameOf(surface.wijk[g.cell] ?? null),
      buurt: nameOf(surface.buurt[g.cell] ?? null),
      pc4: surface.pc4[g.cell] ?? null,
    })),
    inputs: { ...inputs, permalink: `/api/v1/coverage?${params.toString()}` },
  }
}

export type CoverageDocument = Awaited<ReturnType<typeof coverageDocument>>

const shares = (list: readonly AreaShare[]) =>
  list.map((a) => ({ code: a.code, name: a.name, inhabitants: people(a.inhabitants) }))

/** A gap area as the API gives it: rounded for reading, its cells left out (they are many). */
export function gapAreaJson(a: GapArea) {
  return {
    id: a.id,
    rank: a.rank,
    label: a.label,
    inhabitants: people(a.inhabitants),
    unreachableInhabitants: people(a.unreachableInhabitants),
    cellCount: a.cellCount,
    severity: Math.round(a.severity),
    distanceM: a.distanceM
      ? { min: Math.round(a.distanceM.min), max: Math.round(a.distanceM.max) }
      : null,
    areaKm2: round(a.areaKm2, 3),
    inhabitantsPerKm2: round(a.inhabitantsPerKm2, 1),
    sparse: a.sparse,
    wijken: shares(a.wijken),
    buurten: shares(a.buurten),
    pc4: shares(a.pc4),
    point: [round(a.point[0], 6), round(a.point[1], 6)],
    outline: a.outline,
  }
}
