import type { AreaLevel } from '../domain/areas.js'
import {
  dasymetricShares,
  densityFromAreas,
  surfaces as buildSurfaces,
  unitOverlaps,
  type CountedArea,
  type DensityLayer,
} from '../domain/surface.js'
import { FAR_PART_M, MIN_KEPT_SHARE, SMALL_PART_SHARE } from '../domain/habitable.js'
import { NARROW_LAND_M } from '../db/postgis.js'
import type { Executor } from '../db/database.js'
import {
  areaCounts,
  areasPerLevel,
  dataVersion,
  habitableOutlines,
  replaceSurface,
  surfaceMeta,
  type AreaCounts,
  type Control,
  type PopulationModel,
} from '../repositories/population.js'
import type { Clock } from '../domain/clock.js'

/** The administrative levels, finest first: the finest one loaded with counts gives the units. */
export const ADMIN_LEVELS: readonly AreaLevel[] = ['buurt', 'wijk', 'gemeente']

/** The model the stored surface is built with; a surface of an older model is rebuilt at start. */
export const POPULATION_MODEL_VERSION = 2

export interface SurfaceReport {
  readonly source_level: AreaLevel | null
  readonly year: number | null
  readonly inhabitants: number
  readonly cells: Readonly<Record<number, number>>
  /** Per administrative area: its official count and what the surface holds before scaling. */
  readonly controls: readonly Control[]
  readonly model: PopulationModel
}

/** The count of an area for a year, or its newest one (with that year) when `year` is null. */
function countOf(a: AreaCounts, year: number | null): { n: number; year: number | null } | null {
  if (year !== null) {
    const n = a.byYear.get(year)
    if (n !== undefined) return { n, year }
    return a.fileYear === year && a.fileCount !== null ? { n: a.fileCount, year } : null
  }
  const newest = Math.max(...a.byYear.keys())
  if (Number.isFinite(newest)) return { n: a.byYear.get(newest) as number, year: newest }
  return a.fileCount === null ? null : { n: a.fileCount, year: a.fileYear }
}

/** The newest year in which every area has a count; null when there is none. */
function completeYear(areas: readonly AreaCounts[]): number | null {
  const years = new Set<number>()
  for (const a of areas) {
    for (const y of a.byYear.keys()) years.add(y)
    if (a.fileYear !== null && a.fileCount !== null) years.add(a.fileYear)
  }
  const complete = [...years].filter((y) => areas.every((a) => countOf(a, y) !== null))
  return complete.length > 0 ? Math.max(...complete) : null
}

/** A unit's gemeente, wijk and buurt, from its CBS code. */
export function chainOf(code: string) {
  if (/^BU\d{8}$/.test(code))
    return { gemeente: `GM${code.slice(2, 6)}`, wijk: `WK${code.slice(2, 8)}`, buurt: code }
  if (/^WK\d{6}$/.test(code)) return { gemeente: `GM${code.slice(2, 6)}`, wijk: code, buurt: null }
  return { gemeente: code.startsWith('GM') ? code : null, wijk: null, buurt: null }
}

/**
 * Rebuilds the stored population surface (resolutions 7–10) with the dasymetric model of
 * api/domain/surface.ts: the finest administrative level with counts gives the units, the
 * newest year in which all of them have a count gives the year, PC4 counts (when loaded) weigh
 * cells within each unit, and every administrative area's official count is kept as its
 * control total. Runs inside the caller's transaction, so areas, counts and surface change
 * together.
 */
export async function rebuildSurface(db: Executor, clock: Clock): Promise<SurfaceReport> {
  const present = await areasPerLevel(db)
  const admin = await areaCounts(
    db,
    ADMIN_LEVELS.filter((l) => (present.get(l) ?? 0) > 0),
  )
  const withCounts = (level: AreaLevel) =>
    admin.filter((a) => a.level === level && countOf(a, null) !== null)
  const unitLevel = ADMIN_LEVELS.find((l) => withCounts(l).length > 0) ?? null
  const areasVersion = (await dataVersion(db)).areas
  const habitableRule = {
    narrowLandM: 2 * NARROW_LAND_M,
    farPartM: FAR_PART_M,
    smallPartShare: SMALL_PART_SHARE,
    minKeptShare: MIN_KEPT_SHARE,
  }
  if (!unitLevel) {
    const model: PopulationModel = {
      units: null,
      years: [],
      ancillary: [],
      unitsByArea: 0,
      habitable: habitableRule,
      notes: [],
    }
    await replaceSurface(
      db,
      [],
      {
        source_level: 'gemeente',
        sources: [],
        inhabitants: 0,
        areas_version: areasVersion,
        built_at: clock.now().toISOString(),
        model_version: POPULATION_MODEL_VERSION,
        year: null,
        model,
      },
      [],
      chainOf,
    )
    return { source_level: null, year: null, inhabitants: 0, cells: {}, controls: [], model }
  }

  const units = admin.filter((a) => a.level === unitLevel)
  const year = completeYear(units)
  const notes: string[] = []
  const outlines = await habitableOutlines(db, unitLevel)
  const counted: CountedArea[] = []
  const years = new Set<number>()
  for (const u of units) {
    const c = countOf(u, year)
    if (!c) {
      notes.push(`${u.code} (${u.name}) has no count: its inhabitants are not on the map.`)
      continue
    }
    if (c.year !== null) years.add(c.year)
    const outline = outlines.get(u.code)
    if (!outline) continue
    counted.push({ code: u.code, inhabitants: c.n, geometry: outline.geometry })
  }

  const overlaps = unitOverlaps(counted)
  // Ancillary: PC4 areas with counts weigh cells within each unit; their outlines also say
  // which PC4 each cell lies in.
  const layers: DensityLayer[] = []
  let pc4Of = new Map<string, string>()
  const ancillary: PopulationModel['ancillary'][number][] = []
  if ((present.get('pc4') ?? 0) > 0) {
    const pc4 = await areaCounts(db, ['pc4'])
    const pc4Outlines = await habitableOutlines(db, 'pc4')
    const withCount = pc4.flatMap((a) => {
      const c = countOf(a, null)
      return [
        {
          code: a.code,
          inhabitants: c?.n ?? 0,
          geometry: pc4Outlines.get(a.code)?.geometry as never,
          year: c?.year ?? null,
          has: c !== null,
        },
      ]
    })
    const pc4Years = [...new Set(withCount.filter((a) => a.has).map((a) => a.year))]
    const { layer, largest } = densityFromAreas(
      withCount,
      {
        name: 'pc4',
        source: 'CBS PC4 counts per km² of land, relative to the wijk counts',
        year: pc4Years.length === 1 ? (pc4Years[0] ?? null) : null,
      },
      { areas: counted, overlaps },
    )
    pc4Of = largest
    if (withCount.some((a) => a.has && a.inhabitants > 0)) layers.push(layer)
  }

  const { shares, layerOf } = dasymetricShares(counted, layers, pc4Of, overlaps)
  for (const layer of layers) {
    ancillary.push({
      name: layer.name,
      source: layer.source,
      year: layer.year,
      areas: present.get(layer.name as AreaLevel) ?? 0,
      unitsWeighted: [...layerOf.values()].filter((l) => l === layer.name).length,
    })
  }
  const surfaces = buildSurfaces(shares)

  // Control totals: every administrative area's own count (of the surface's year, or its
  // newest when the units' years differ) against what its units hold on the surface.
  const held = new Map<string, number>()
  for (const share of shares) {
    const c = chainOf(share.unit)
    for (const code of [c.gemeente, c.wijk, c.buurt]) {
      if (code) held.set(code, (held.get(code) ?? 0) + share.inhabitants)
    }
  }
  const controls: Control[] = []
  for (const a of admin) {
    const c = countOf(a, year)
    if (!c) continue
    controls.push({
      code: a.code,
      level: a.level,
      year: c.year,
      official: c.n,
      surface: held.get(a.code) ?? 0,
    })
  }

  const inhabitants = counted.reduce((s, u) => s + u.inhabitants, 0)
  const sources = new Map<string, { source: string; year: number | null; areas: number }>()
  const unitByCode = new Map(units.map((u) => [u.code, u]))
  for (const u of counted) {
    const area = unitByCode.get(u.code) as AreaCounts
    const c = countOf(area, year)
    const source =
      (c?.year !== null && c?.year !== undefined ? area.sourceByYear.get(c.year) : undefined) ??
      area.fileSource
    const key = `${source}|${c?.year ?? ''}`
    const entry = sources.get(key) ?? { source, year: c?.year ?? null, areas: 0 }
    entry.areas++
    sources.set(key, entry)
  }
  const model: PopulationModel = {
    units: unitLevel,
    years: [...years].sort(),
    ancillary,
    unitsByArea: [...layerOf.values()].filter((l) => l === null).length,
    habitable: habitableRule,
    notes,
  }
  await replaceSurface(
    db,
    surfaces,
    {
      source_level: unitLevel,
      sources: [...sources.values()],
      inhabitants,
      areas_version: areasVersion,
      built_at: clock.now().toISOString(),
      model_version: POPULATION_MODEL_VERSION,
      year,
      model,
    },
    controls,
    chainOf,
  )
  return {
    source_level: unitLevel,
    year,
    inhabitants,
    cells: Object.fromEntries(surfaces.map((s) => [s.res, s.cells.length])),
    controls,
    model,
  }
}

/**
 * Rebuilds the surface when areas are loaded but the stored surface is missing or of an older
 * model (after an upgrade). Returns the report when it rebuilt, undefined otherwise.
 */
export async function ensureSurface(
  db: Executor,
  clock: Clock,
): Promise<SurfaceReport | undefined> {
  const meta = await surfaceMeta(db)
  if (meta && meta.model_version >= POPULATION_MODEL_VERSION) return undefined
  const present = await areasPerLevel(db)
  if ([...present.values()].every((n) => n === 0)) return undefined
  return rebuildSurface(db, clock)
}
