import type { Asset } from '../domain/asset.js'
import { jsonb } from '../db/postgis.js'
import { toIso, type Executor } from './assets.js'

export type HistoryAction = 'create' | 'update' | 'delete' | 'restore' | 'import'

export interface HistoryEntry {
  readonly version: number
  readonly action: HistoryAction
  readonly actor: string
  readonly at: string
  readonly before: Asset | null
  readonly after: Asset | null
}

export type NewHistoryEntry = { assetId: string } & Omit<HistoryEntry, 'at'> & { at: Date }

/** Appends entries; the table refuses updates and deletes (see the initial migration). */
export async function appendHistory(
  db: Executor,
  ...entries: readonly NewHistoryEntry[]
): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) {
    await db
      .insertInto('asset_history')
      .values(
        entries.slice(i, i + 500).map((entry) => ({
          asset_id: entry.assetId,
          version: entry.version,
          action: entry.action,
          actor: entry.actor,
          at: entry.at,
          before: jsonb(entry.before),
          after: jsonb(entry.after),
        })),
      )
      .execute()
  }
}

/** The full history of an asset, oldest first. */
export async function listHistory(db: Executor, assetId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('asset_history')
    .select(['version', 'action', 'actor', 'at', 'before', 'after'])
    .where('asset_id', '=', assetId)
    .orderBy('version')
    .execute()
  return rows.map((r) => ({
    version: r.version,
    action: r.action,
    actor: r.actor,
    at: toIso(r.at),
    before: (r.before ?? null) as Asset | null,
    after: (r.after ?? null) as Asset | null,
  }))
}

export async function countHistory(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('asset_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
