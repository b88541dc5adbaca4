import type { AreaLevel } from '../domain/areas.js'
import { spreadAreas, surfaces as buildSurfaces } from '../domain/surface.js'
import type { Executor } from '../repositories/assets.js'
import {
  areasWithInhabitants,
  assignPortionCodes,
  dataVersion,
  levelsWithInhabitants,
  replaceSurface,
} from '../repositories/population.js'
import type { Clock } from './assets.js'

/** Finest first: the population surface is spread from the finest level that has counts. */
export const POPULATION_LEVELS: readonly AreaLevel[] = ['buurt', 'pc4', 'wijk', 'gemeente']

export interface SurfaceReport {
  readonly source_level: AreaLevel | null
  readonly inhabitants: number
  readonly cells: Readonly<Record<number, number>>
}

/**
 * Rebuilds the stored population surface from the finest level with inhabitant counts (or the
 * given level) at resolutions 7–10. Runs inside the caller's transaction, so areas and surface
 * change together.
 */
export async function rebuildSurface(
  db: Executor,
  clock: Clock,
  level: AreaLevel | 'auto' = 'auto',
): Promise<SurfaceReport> {
  const available = await levelsWithInhabitants(db)
  const source =
    level === 'auto' ? POPULATION_LEVELS.find((l) => (available.get(l) ?? 0) > 0) : level
  if (!source) {
    await replaceSurface(db, [], {
      source_level: 'gemeente',
      sources: [],
      inhabitants: 0,
      areas_version: (await dataVersion(db)).areas,
      built_at: clock.now().toISOString(),
    })
    return { source_level: null, inhabitants: 0, cells: {} }
  }
  const areas = await areasWithInhabitants(db, source)
  const shares = spreadAreas(areas)
  const totals = new Map(areas.map((a) => [a.code, a.inhabitants]))
  const surfaces = buildSurfaces(shares, totals)
  const bySource = new Map<string, { source: string; year: number | null; areas: number }>()
  for (const a of areas) {
    const key = `${a.source}|${a.year}`
    const entry = bySource.get(key) ?? { source: a.source, year: a.year, areas: 0 }
    entry.areas++
    bySource.set(key, entry)
  }
  const inhabitants = areas.reduce((s, a) => s + a.inhabitants, 0)
  await replaceSurface(db, surfaces, {
    source_level: source,
    sources: [...bySource.values()],
    inhabitants,
    areas_version: (await dataVersion(db)).areas,
    built_at: clock.now().toISOString(),
  })
  await assignPortionCodes(db, source)
  return {
    source_level: source,
    inhabitants,
    cells: Object.fromEntries(surfaces.map((s) => [s.res, s.cells.length])),
  }
}
