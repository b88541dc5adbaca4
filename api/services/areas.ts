import { normaliseAreas, type AreaFieldNames, type AreaLevel } from '../domain/areas.js'
import { DomainError, type FieldError } from '../domain/errors.js'
import type { Database } from '../db/database.js'
import { assignAreaCodes } from '../repositories/assets.js'
import { assignPc4Gemeenten, upsertAreas } from '../repositories/areas.js'
import type { Clock } from './assets.js'
import type { RowError } from './import.js'

export interface AreaImportReport {
  readonly imported: number
  readonly by_level: Readonly<Record<string, number>>
  readonly inhabitants_total: number
  readonly notes: readonly string[]
}

/**
 * Loads CBS areas from a GeoJSON FeatureCollection, all-or-nothing: an invalid feature or a
 * geometry PostGIS finds invalid rolls the whole import back. Afterwards every asset's
 * gemeente/wijk/buurt/PC4 codes are derived again.
 */
export async function importAreas(
  deps: { db: Database; clock: Clock },
  collection: unknown,
  options: {
    level?: AreaLevel | undefined
    year: number | null
    source: string
    fields?: Partial<AreaFieldNames> | undefined
  },
): Promise<AreaImportReport> {
  const { areas, errors, notes } = normaliseAreas(collection, options)
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
  if (errors.length > 0) {
    throw fail(errors.map((e) => ({ row: e.index + 1, source_ref: e.code, errors: e.errors })))
  }
  await deps.db.transaction().execute(async (trx) => {
    const invalid = await upsertAreas(trx, areas, deps.clock.now())
    if (invalid.length > 0) {
      const error: FieldError = {
        pointer: '/geometry',
        code: 'invalid_geometry',
        message: {
          nl: 'De geometrie is ongeldig (bijvoorbeeld een lus die zichzelf snijdt).',
          en: 'The geometry is invalid (for example a self-intersecting ring).',
        },
      }
      throw fail(
        invalid.map((code) => ({
          row: areas.findIndex((a) => a.code === code) + 1,
          source_ref: code,
          errors: [error],
        })),
      )
    }
    await assignPc4Gemeenten(trx)
    await assignAreaCodes(trx)
  })
  const byLevel: Record<string, number> = {}
  for (const a of areas) byLevel[a.level] = (byLevel[a.level] ?? 0) + 1
  return {
    imported: areas.length,
    by_level: byLevel,
    inhabitants_total: areas.reduce((sum, a) => sum + (a.inhabitants ?? 0), 0),
    notes,
  }
}
