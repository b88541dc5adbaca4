import { cellToBoundary, cellToParent, getResolution } from 'h3-js'
import { DEFAULT_PLACE_FILTER } from '../domain/places.js'
import type { Mode } from '../domain/reach.js'
import type { Selection } from '../domain/coverage.js'
import { SURFACE_RESOLUTIONS, type SurfaceResolution } from '../domain/surface.js'
import type { Database } from '../db/database.js'
import { areaOutlines, areasAt, getArea } from '../repositories/areas.js'
import { nearestAddress } from '../repositories/assets.js'
import { coverageDocument, type Pin } from './figures.js'
import { findScenario, scenarioCoverage } from './scenarios.js'
import { DEFAULT_THRESHOLD, type Analysis, type AreaRef } from './analysis.js'
import type { Clock } from '../domain/clock.js'
import type { Planning } from './planning.js'
import { notFound } from '../domain/errors.js'
import { LABEL } from '../domain/messages.js'

export interface ReportOptions {
  readonly code: string
  readonly res: SurfaceResolution
  /** Threshold per mode; defaults: walk 800, bike 2500, line 800 m. */
  readonly thresholds: Partial<Record<Mode, number>>
  readonly scenarioId?: string | undefined
  readonly lang: 'nl' | 'en'
  /** The mode of the map, the gap list and the headline (default: walk when a network is loaded). */
  readonly mode?: Mode | undefined
  /** A permalink's pin: the report then says what changed since it was made. */
  readonly pin?: Pin | undefined
}

type CoverageDoc = Awaited<ReturnType<typeof coverageDocument>>

/** One populated cell of the area on the report's map. */
export interface MapCell {
  readonly cell: string
  readonly ring: [number, number][]
  readonly inhabitants: number
  readonly distanceM: number | null
  readonly gap: boolean
  /** Brought within reach by the report's scenario (its own mode and threshold). */
  readonly gained: boolean
}

/** An area drawn on the report's map: outline and where its name goes. */
export interface MapArea {
  readonly code: string
  readonly name: string
  readonly outline: unknown
  /** Where the name goes: amid the area's inhabitants; null when nobody lives there. */
  readonly label: readonly [number, number] | null
  /** Its inhabitants on the surface: names of larger areas are placed first. */
  readonly inhabitants: number
}

/** Where a proposed place lies, in words a reader recognises (never bare coordinates). */
export interface PlaceWhere {
  readonly gemeente: string | null
  readonly wijk: string | null
  readonly buurt: string | null
  /** The nearest known address in the register within NEAREST_ADDRESS_M, and how far. */
  readonly nearest: { readonly address: string; readonly distanceM: number } | null
}

/** How far a known address may be to describe where a proposed place lies (metres). */
export const NEAREST_ADDRESS_M = 250

/**
 * Everything the gap report of one area shows, computed by the same engine and parameters as
 * /api/coverage (a coverage document per mode, for the area and the province), plus the map.
 */
export async function buildReport(
  deps: {
    /** The primary: the scenario. */
    db: Database
    /** Area outlines (may be a read replica); `db` when absent. */
    reads?: Database | undefined
    analysis: Analysis
    planning: Planning
    clock: Clock
    networks: Partial<Record<Mode, boolean>>
    /** Where the public reaches the service, for absolute permalinks (no trailing slash). */
    baseUrl?: string | undefined
  },
  o: ReportOptions,
) {
  const { analysis } = deps
  const area = await analysis.area(o.code)
  if (!area) throw notFound(LABEL.area, o.code)
  const province = (await analysis.area('province')) as AreaRef
  const modes: Mode[] = (['walk', 'bike'] as const).filter((m) => deps.networks[m])
  const all: Mode[] = [...modes, 'line']
  const primary: Mode =
    o.mode && (o.mode === 'line' || modes.includes(o.mode)) ? o.mode : (modes[0] ?? 'line')
  const threshold = (m: Mode) => o.thresholds[m] ?? DEFAULT_THRESHOLD[m]
  const doc = (a: AreaRef, mode: Mode, gaps: number) =>
    coverageDocument(analysis, deps.clock, {
      area: a,
      res: o.res,
      mode,
      thresholdM: threshold(mode),
      filter: DEFAULT_PLACE_FILTER,
      gaps,
      gapAreas: gaps > 0 ? 10 : 0,
      pin: mode === primary ? o.pin : undefined,
    })
  const figures: Partial<Record<Mode, { area: CoverageDoc; province: CoverageDoc }>> = {}
  for (const mode of all) {
    figures[mode] = {
      area: await doc(area, mode, mode === primary ? 25 : 0),
      province: await doc(province, mode, 0),
    }
  }

  // The map: every populated cell of the area, gap or not, on the primary mode, at the finest
  // resolution that keeps it within MAX_MAP_CELLS hexagons (a printed A4 map shows no more,
  // and a province at resolution 10 would be tens of megabytes).
  const t = threshold(primary)
  let mapRes = o.res
  let reach = await analysis.reachFor(mapRes, primary, DEFAULT_PLACE_FILTER)
  let byCell = cellsOf(reach.surface.selections.get(area.code))
  while (byCell.size > MAX_MAP_CELLS && mapRes > SURFACE_RESOLUTIONS[0]) {
    mapRes = (mapRes - 1) as SurfaceResolution
    reach = await analysis.reachFor(mapRes, primary, DEFAULT_PLACE_FILTER)
    byCell = cellsOf(reach.surface.selections.get(area.code))
  }
  let scenario = null
  if (o.scenarioId) {
    const stored = await findScenario(deps.db, o.scenarioId)
    if (!stored) throw notFound(LABEL.scenario, o.scenarioId)
    scenario = await scenarioCoverage(analysis, deps.planning, deps.clock, stored)
  }
  // The cells the scenario brings within reach, as the map's (possibly coarser) hexagons.
  const gainedCells = new Set<string>()
  for (const c of scenario?.cells ?? []) {
    if (!c.gained || !c.cell) continue
    gainedCells.add(getResolution(c.cell) > mapRes ? cellToParent(c.cell, mapRes) : c.cell)
  }
  const cells: MapCell[] = [...byCell]
    .filter(([, n]) => n > 0)
    .map(([c, n]) => {
      const d = reach.reach.nearest[c] as number
      const id = reach.surface.cells[c] as string
      return {
        cell: id,
        ring: cellToBoundary(id, true),
        inhabitants: n,
        distanceM: Number.isFinite(d) ? Math.round(d) : null,
        gap: !(d <= t),
        gained: gainedCells.has(id),
      }
    })
  const level = area.level
  const places = reach.counted
    .filter((p) =>
      level === 'province' ? p.gemeente_code !== null : p[`${level}_code`] === area.code,
    )
    .map((p) => ({ name: p.name, kind: p.kind, lon: p.lon, lat: p.lat }))
  // The area's outline, and the areas one level down with their names (the province's
  // gemeenten, a gemeente's wijken, a wijk's buurten where they are loaded).
  const reads = deps.reads ?? deps.db
  const outlines: unknown[] = []
  if (area.level !== 'province') {
    const row = await getArea(reads, area.code)
    if (row) outlines.push(parse(row.geometry))
  }
  const below =
    area.level === 'province'
      ? await areaOutlines(reads, { level: 'gemeente' })
      : area.level === 'gemeente'
        ? await areaOutlines(reads, { level: 'wijk', gemeente: area.code })
        : area.level === 'wijk'
          ? await areaOutlines(reads, { level: 'buurt', parent: area.code })
          : []
  if (area.level === 'province') outlines.push(...below.map((a) => parse(a.geometry)))
  const areas: MapArea[] = below.map((a) => ({
    code: a.code,
    name: a.name,
    outline: parse(a.geometry),
    ...labelPoint(reach.surface, a.code),
  }))

  // Where each proposed place lies: its gemeente, wijk and buurt, and the nearest known address.
  const proposed = []
  for (const p of scenario?.scenario.add ?? []) {
    const at = await areasAt(reads, p.lon, p.lat)
    const name = (level: string) => at.find((a) => a.level === level)?.name ?? null
    proposed.push({
      ...p,
      where: {
        gemeente: name('gemeente'),
        wijk: name('wijk'),
        buurt: name('buurt'),
        nearest: (await nearestAddress(reads, p.lon, p.lat, NEAREST_ADDRESS_M)) ?? null,
      } satisfies PlaceWhere,
    })
  }

  const params = new URLSearchParams({
    res: String(o.res),
    ...Object.fromEntries(
      all.map((m) => [`threshold${m[0]?.toUpperCase()}${m.slice(1)}`, String(threshold(m))]),
    ),
    lang: o.lang,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.scenarioId ? { scenario: o.scenarioId } : {}),
    // The data the figures were computed on: opened later, the report says what changed since.
    data: figures[primary]?.area.inputs.dataVersion.data ?? '',
    fp: figures[primary]?.area.inputs.dataVersion.fingerprint ?? '',
  })
  const changed = figures[primary]?.area.inputs.dataChanged ?? null
  return {
    area,
    province,
    primary,
    modes: all,
    thresholds: Object.fromEntries(all.map((m) => [m, threshold(m)])) as Record<Mode, number>,
    resolution: o.res,
    figures,
    map: {
      resolution: mapRes,
      cells,
      places,
      outlines,
      areas,
      proposed,
      gainedThresholdM: scenario?.scenario.thresholdM ?? null,
      gainedMode: scenario?.scenario.mode ?? null,
    },
    scenario,
    generatedAt: deps.clock.now().toISOString(),
    permalink: `${deps.baseUrl ?? ''}/api/v1/reports/${area.code}?${params.toString()}`,
    dataChanged: changed,
    lang: o.lang,
  }
}

/**
 * Where an area's name goes on the map: the populated cell nearest to the inhabitants' centre
 * (so a wijk with a long dike or a crescent shape is named where people live, and the name is
 * never in the water); null for an area without inhabitants.
 */
function labelPoint(
  surface: Awaited<ReturnType<Analysis['reachFor']>>['surface'],
  code: string,
): { label: [number, number] | null; inhabitants: number } {
  const selection = surface.selections.get(code)
  if (!selection) return { label: null, inhabitants: 0 }
  const { lon, lat } = surface.points
  let sx = 0
  let sy = 0
  let sw = 0
  for (let i = 0; i < selection.cell.length; i++) {
    const c = selection.cell[i] as number
    const w = selection.inhabitants[i] as number
    sx += (lon[c] as number) * w
    sy += (lat[c] as number) * w
    sw += w
  }
  if (!(sw > 0)) return { label: null, inhabitants: 0 }
  const cx = sx / sw
  const cy = sy / sw
  const k = Math.cos((cy * Math.PI) / 180)
  let best = -1
  let bestD = Infinity
  for (let i = 0; i < selection.cell.length; i++) {
    if (!((selection.inhabitants[i] as number) > 0)) continue
    const c = selection.cell[i] as number
    const d = ((lon[c] as number) - cx) ** 2 * k * k + ((lat[c] as number) - cy) ** 2
    if (d < bestD) {
      bestD = d
      best = c
    }
  }
  return { label: best < 0 ? null : [lon[best] as number, lat[best] as number], inhabitants: sw }
}

/** Inhabitants per cell of a selection (portions of one cell summed). */
function cellsOf(selection: Selection | undefined): Map<number, number> {
  const byCell = new Map<number, number>()
  if (selection) {
    for (let i = 0; i < selection.cell.length; i++) {
      const c = selection.cell[i] as number
      byCell.set(c, (byCell.get(c) ?? 0) + (selection.inhabitants[i] as number))
    }
  }
  return byCell
}

/** Hexagons on the report's map at most; a larger area is drawn at a coarser resolution. */
export const MAX_MAP_CELLS = 4000

/** Gap cells per page of `.gaps.geojson` at most. */
export const MAX_GAPS_PAGE = 5000

/**
 * One page of an area's gap cells (populated cells beyond the threshold), most severe first, as
 * GeoJSON hexagons with a link to the next page: what `/reports/<area>.gaps.geojson` answers.
 */
export async function gapCellsPage(
  analysis: Analysis,
  o: {
    code: string
    res: SurfaceResolution
    mode: Mode
    thresholdM: number
    limit: number
    offset: number
    nextHref: (offset: number) => string
  },
) {
  const area = await analysis.area(o.code)
  if (!area) throw notFound(LABEL.area, o.code)
  const result = await analysis.coverageOf(
    area,
    o.res,
    o.mode,
    o.thresholdM,
    DEFAULT_PLACE_FILTER,
    o.offset + o.limit,
  )
  const { surface } = result
  const page = result.figures.gaps.slice(o.offset, o.offset + o.limit)
  const matched = result.figures.gapCount
  return {
    type: 'FeatureCollection' as const,
    features: page.map((g, i) => {
      const id = surface.cells[g.cell] as string
      return {
        type: 'Feature' as const,
        id,
        geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(id, true)] },
        properties: {
          rank: o.offset + i + 1,
          cell: id,
          inhabitants: g.inhabitants,
          distance_m: g.distanceM === null ? null : Math.round(g.distanceM),
          mode: o.mode,
          threshold_m: o.thresholdM,
          resolution: o.res,
        },
      }
    }),
    numberMatched: matched,
    numberReturned: page.length,
    links:
      o.offset + page.length < matched
        ? [{ rel: 'next', type: 'application/geo+json', href: o.nextHref(o.offset + page.length) }]
        : [],
    properties: { area },
  }
}

const parse = (g: unknown) => (typeof g === 'string' ? (JSON.parse(g) as unknown) : g)

export type Report = Awaited<ReturnType<typeof buildReport>>
