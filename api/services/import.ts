import { createHash, randomUUID } from 'node:crypto'
import { pickAttributes, type AssetSchemas, type AssetSource } from '../domain/asset.js'
import { invalidInput, type FieldError } from '../domain/errors.js'
import { FIELD, PROBLEM } from '../domain/messages.js'
import { roundLonLat } from '../domain/geo.js'
import { zodToFieldErrors } from '../domain/validation.js'
import type { Database } from '../db/database.js'
import {
  assignAreaCodes,
  findAssets,
  findBySourceRefs,
  insertAssets,
  listAssets,
  updateAsset,
  type AssetFilter,
  type NewAsset,
} from '../repositories/assets.js'
import type { Executor } from '../db/database.js'
import type { Asset, AssetAttributes } from '../domain/asset.js'
import { appendHistory } from '../repositories/history.js'
import { attributesFromInput, sameContent } from './assets.js'
import type { Clock } from '../domain/clock.js'
import { parseImport, type ImportFormat } from './import-formats.js'

export interface RowError {
  readonly row: number
  readonly source_ref: string | null
  readonly errors: readonly FieldError[]
}

export interface ImportReport {
  readonly dry_run: boolean
  readonly source: AssetSource
  readonly total: number
  readonly valid: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Rows whose asset a person deleted in Buurtkaart: left deleted, not brought back. */
  readonly skipped_deleted: number
  readonly ignored_fields: readonly string[]
  readonly errors: readonly RowError[]
}

export type ProgressReporter = (done: number, total: number) => void

export interface ImportOptions {
  readonly format: ImportFormat
  readonly dryRun: boolean
  readonly source: Extract<AssetSource, 'import' | 'osm' | 'cbs' | 'seed'>
  readonly actor: string
  readonly onProgress?: ProgressReporter | undefined
}

/**
 * A stable reference for a row without one, so importing the same file twice does not
 * duplicate: a hash of kind, name and position (rounded to about 10 cm).
 */
export function contentRef(kind: unknown, name: unknown, lon: number, lat: number): string {
  const key = `${String(kind)}|${String(name).trim().toLowerCase()}|${lon.toFixed(6)}|${lat.toFixed(6)}`
  return 'auto:' + createHash('sha256').update(key).digest('hex').slice(0, 16)
}

/**
 * After an import has written its rows: derives the area codes of the new and changed assets
 * and appends one `import` history entry each (before: the asset as it was, for a change).
 */
export async function recordImported(
  trx: Executor,
  insertedIds: readonly string[],
  updatedBefore: readonly Asset[],
  actor: string,
  at: Date,
): Promise<void> {
  const ids = [...insertedIds, ...updatedBefore.map((a) => a.id)]
  if (ids.length === 0) return
  await assignAreaCodes(trx, ids)
  const after = await findAssets(trx, ids)
  const before = new Map(updatedBefore.map((a) => [a.id, a]))
  await appendHistory(
    trx,
    ...ids.map((id) => {
      const asset = after.get(id) as Asset
      return {
        assetId: id,
        version: asset.version,
        action: 'import' as const,
        actor,
        at,
        before: before.get(id) ?? null,
        after: asset,
      }
    }),
  )
}

/**
 * Imports assets from GeoJSON or CSV. Every row is validated with the same schema as the API. A
 * dry run reports per-row errors and what would change; a real import is all-or-nothing in one
 * transaction and idempotent by (source, source_ref).
 */
export async function importAssets(
  deps: { db: Database; clock: Clock; schemas: AssetSchemas },
  text: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const parsed = parseImport(options.format, text)
  if (parsed.fileError) {
    throw invalidInput(PROBLEM.unreadableFile(parsed.fileError.message), {
      fields: [parsed.fileError],
    })
  }
  const errors: RowError[] = []
  const rows: {
    row: number
    ref: string
    /** The source_ref the row gives itself, if any. */
    explicitRef: string | null
    id: string | undefined
    fields: readonly string[]
    input: ReturnType<AssetSchemas['create']['parse']>
  }[] = []
  const seen = new Map<string, number>()
  for (const candidate of parsed.candidates) {
    const result = deps.schemas.create.safeParse(candidate.input)
    const rowErrors = [
      ...candidate.errors,
      ...(result.success ? [] : zodToFieldErrors(result.error, candidate.input)),
    ]
    const givenRef = candidate.input.properties.source_ref
    const explicitRef =
      typeof givenRef === 'string' && givenRef.trim() !== '' ? givenRef.trim() : null
    let ref = explicitRef
    if (result.success && rowErrors.length === 0) {
      const [lon, lat] = result.data.geometry.coordinates
      // An exported row whose id is not here (another installation's export) keeps that id as
      // its reference: two identical benches stay two, and a second import finds them again.
      ref ??=
        candidate.id ??
        contentRef(result.data.properties.kind, result.data.properties.name, lon, lat)
      const key = candidate.id ? `id:${candidate.id}` : ref
      const first = seen.get(key)
      if (first !== undefined) {
        rowErrors.push(
          candidate.id
            ? {
                pointer: '/id',
                code: 'duplicate',
                message: FIELD.sameIdInRow(candidate.id, first),
              }
            : {
                pointer: '/properties/source_ref',
                code: 'duplicate',
                message: FIELD.sameRefInRow(ref, first),
              },
        )
      } else {
        seen.set(key, candidate.row)
        rows.push({
          row: candidate.row,
          ref,
          explicitRef,
          id: candidate.id,
          fields: candidate.fields,
          input: result.data,
        })
      }
    }
    if (rowErrors.length > 0)
      errors.push({ row: candidate.row, source_ref: ref, errors: rowErrors })
  }

  const { db, clock } = deps
  const total = parsed.candidates.length
  const count = { created: 0, updated: 0, unchanged: 0, skipped_deleted: 0 }
  const report = (): ImportReport => ({
    dry_run: options.dryRun,
    source: options.source,
    total,
    valid: rows.length,
    ...count,
    ignored_fields: parsed.ignoredFields,
    errors,
  })

  if (errors.length > 0 && !options.dryRun) {
    throw invalidInput(PROBLEM.importNotCarriedOut(errors.length, total), {
      extra: { report: report() },
    })
  }

  /**
   * Decides per row, then writes in batches: inserts, updates, area codes, history. A row with
   * the id of a place here (an export coming back) is that place, whatever its source; others
   * are matched by (source, source_ref).
   */
  const run = async (trx: Executor) => {
    const byId = await findAssets(
      trx,
      rows.flatMap((r) => (r.id ? [r.id] : [])),
    )
    const existing = await findBySourceRefs(
      trx,
      options.source,
      rows.filter((r) => !(r.id && byId.has(r.id))).map((r) => r.ref),
    )
    const at = clock.now()
    const inserts: NewAsset[] = []
    const updates: { current: Asset; next: AssetAttributes & { lon: number; lat: number } }[] = []
    for (const { ref, explicitRef, id, fields, input } of rows) {
      const [lon, lat] = roundLonLat([input.geometry.coordinates[0], input.geometry.coordinates[1]])
      const given = attributesFromInput(input.properties)
      const own = id ? byId.get(id) : undefined
      // The place's own: a field the file leaves out (a public export has no contact details)
      // keeps its value instead of being emptied.
      const next = own
        ? {
            ...pickAttributes(own),
            ...Object.fromEntries(
              fields.map((f) => [f, given[f as keyof AssetAttributes]] as const),
            ),
            source_ref: explicitRef ?? own.source_ref,
            lon,
            lat,
          }
        : { ...given, source_ref: ref, lon, lat }
      const current = own ?? existing.get(ref)
      if (!current) inserts.push({ id: randomUUID(), source: options.source, ...next })
      else if (current.deleted_at) count.skipped_deleted++
      else if (sameContent(current, next)) count.unchanged++
      else updates.push({ current, next })
    }
    count.created = inserts.length
    count.updated = updates.length
    if (options.dryRun) return

    const total = inserts.length + updates.length
    let done = 0
    for (let i = 0; i < inserts.length; i += 500) {
      const chunk = inserts.slice(i, i + 500)
      await insertAssets(trx, chunk, options.actor, at)
      done += chunk.length
      options.onProgress?.(done, total)
    }
    for (const { current, next } of updates) {
      await updateAsset(trx, current.id, current.version, next, options.actor, at)
      if (++done % 500 === 0) options.onProgress?.(done, total)
    }
    await recordImported(
      trx,
      inserts.map((a) => a.id),
      updates.map((u) => u.current),
      options.actor,
      at,
    )
    options.onProgress?.(total, total)
  }

  if (options.dryRun) await run(db)
  else await db.transaction().execute((trx) => run(trx))
  return report()
}

/** Every place matching a filter, for a full export (GeoJSON or CSV): no paging. */
export function exportAssets(db: Executor, filter: AssetFilter): Promise<Asset[]> {
  return listAssets(db, filter, { limit: 1_000_000 })
}
