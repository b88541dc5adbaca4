import {
  normaliseAreas,
  type AreaFieldNames,
  type AreaInput,
  type AreaLevel,
} from '../domain/areas.js'
import { DomainError, type FieldError } from '../domain/errors.js'
import type { Database } from '../db/database.js'
import { assignAreaCodes } from '../repositories/assets.js'
import { assignPc4Gemeenten, upsertAreas } from '../repositories/areas.js'
import type { Clock } from './assets.js'
import type { RowError } from './import.js'
import { rebuildSurface, type SurfaceReport } from './population.js'

/** One file of areas, with what is known about it. */
export interface AreaFile {
  readonly collection: unknown
  /** Year of the inhabitant counts. */
  readonly year: number | null
  /** Where it comes from, as the inputs of every figure will cite it. */
  readonly source: string
  readonly level?: AreaLevel | undefined
  readonly fields?: Partial<AreaFieldNames> | undefined
}

export interface AreaImportReport {
  readonly imported: number
  readonly by_level: Readonly<Record<string, number>>
  readonly inhabitants_total: number
  readonly notes: readonly string[]
  readonly surface: SurfaceReport
}

const fail = (rows: RowError[]) =>
  new DomainError(
    'validation_failed',
    { nl: 'Gebieden niet geladen', en: 'Areas not loaded' },
    {
      nl: `${rows.length} gebied(en) zijn niet goed; er is niets opgeslagen.`,
      en: `${rows.length} area(s) are not valid; nothing was saved.`,
    },
    [],
    { rows },
  )

const INVALID_GEOMETRY: FieldError = {
  pointer: '/geometry',
  code: 'invalid_geometry',
  message: {
    nl: 'De geometrie is ongeldig (bijvoorbeeld een lus die zichzelf snijdt).',
    en: 'The geometry is invalid (for example a self-intersecting ring).',
  },
}

/**
 * Loads CBS areas from one or more GeoJSON FeatureCollections, all-or-nothing in one
 * transaction: an invalid feature or a geometry PostGIS finds invalid rolls everything back.
 * Then every asset's gemeente/wijk/buurt/PC4 codes are derived again and the population surface
 * is rebuilt once, in the same transaction.
 */
export async function importAreas(
  deps: { db: Database; clock: Clock },
  files: readonly AreaFile[],
  options: {
    /** Which level the population surface is spread from; 'auto' takes the finest with counts. */
    populationLevel?: AreaLevel | 'auto' | undefined
  } = {},
): Promise<AreaImportReport> {
  const areas: AreaInput[] = []
  const notes: string[] = []
  const errors: RowError[] = []
  for (const file of files) {
    const result = normaliseAreas(file.collection, file)
    areas.push(...result.areas)
    notes.push(...result.notes)
    errors.push(
      ...result.errors.map((e) => ({ row: e.index + 1, source_ref: e.code, errors: e.errors })),
    )
  }
  if (errors.length > 0) throw fail(errors)
  const surface = await deps.db.transaction().execute(async (trx) => {
    const invalid = await upsertAreas(trx, areas, deps.clock.now())
    if (invalid.length > 0) {
      throw fail(
        invalid.map((code) => ({
          row: areas.findIndex((a) => a.code === code) + 1,
          source_ref: code,
          errors: [INVALID_GEOMETRY],
        })),
      )
    }
    await assignPc4Gemeenten(trx)
    await assignAreaCodes(trx)
    return rebuildSurface(trx, deps.clock, options.populationLevel ?? 'auto')
  })
  const byLevel: Record<string, number> = {}
  for (const a of areas) byLevel[a.level] = (byLevel[a.level] ?? 0) + 1
  return {
    imported: areas.length,
    by_level: byLevel,
    inhabitants_total: areas.reduce((sum, a) => sum + (a.inhabitants ?? 0), 0),
    notes,
    surface,
  }
}
