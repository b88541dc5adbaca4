import type { Asset } from '../domain/asset.js'
import { jsonb } from '../db/postgis.js'
import { toIso } from './assets.js'
import type { Executor } from '../db/database.js'
import { actorNames } from './users.js'

export type HistoryAction = 'create' | 'update' | 'delete' | 'restore' | 'import' | 'revert'

export interface HistoryEntry {
  readonly asset_id: string
  readonly version: number
  readonly action: HistoryAction
  /** `user:<id>` for an account; otherwise a label such as `import` or `seed`. */
  readonly actor: string
  /** The account's display name (an anonymised account reads as such); null for labels. */
  readonly actor_name: string | null
  readonly at: string
  readonly before: Asset | null
  readonly after: Asset | null
  /** The proposal this change came from, when a moderator approved one. */
  readonly proposal_id: string | null
  readonly note: string | null
}

export type NewHistoryEntry = { assetId: string } & Omit<
  HistoryEntry,
  'at' | 'asset_id' | 'actor_name' | 'proposal_id' | 'note'
> & { at: Date; proposalId?: string | null; note?: string | null }

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
          proposal_id: entry.proposalId ?? null,
          note: entry.note ?? null,
        })),
      )
      .execute()
  }
}

function historyQuery(db: Executor) {
  return db
    .selectFrom('asset_history')
    .select([
      'asset_id',
      'version',
      'action',
      'actor',
      'at',
      'before',
      'after',
      'proposal_id',
      'note',
      'id',
    ])
}

type HistoryRow = Awaited<ReturnType<ReturnType<typeof historyQuery>['execute']>>[number]

async function toEntries(db: Executor, rows: readonly HistoryRow[]): Promise<HistoryEntry[]> {
  const names = await actorNames(
    db,
    rows.map((r) => r.actor),
  )
  return rows.map((r) => ({
    asset_id: r.asset_id,
    version: r.version,
    action: r.action,
    actor: r.actor,
    actor_name: names.get(r.actor) ?? null,
    at: toIso(r.at),
    before: (r.before ?? null) as Asset | null,
    after: (r.after ?? null) as Asset | null,
    proposal_id: r.proposal_id,
    note: r.note,
  }))
}

/** The full history of an asset, oldest first. */
export async function listHistory(db: Executor, assetId: string): Promise<HistoryEntry[]> {
  const rows = await historyQuery(db).where('asset_id', '=', assetId).orderBy('version').execute()
  return toEntries(db, rows)
}

/** One version of an asset's history. */
export async function findHistoryEntry(
  db: Executor,
  assetId: string,
  version: number,
): Promise<HistoryEntry | undefined> {
  const rows = await historyQuery(db)
    .where('asset_id', '=', assetId)
    .where('version', '=', version)
    .execute()
  return (await toEntries(db, rows))[0]
}

/** Recent changes over all assets, newest first; `before` is an entry id to page back from. */
export async function recentHistory(
  db: Executor,
  options: { limit: number; before?: number | undefined; actor?: string | undefined },
): Promise<(HistoryEntry & { id: number })[]> {
  let query = historyQuery(db)
  if (options.before !== undefined) query = query.where('id', '<', options.before)
  if (options.actor !== undefined) query = query.where('actor', '=', options.actor)
  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute()
  const entries = await toEntries(db, rows)
  return entries.map((e, i) => ({ ...e, id: (rows[i] as HistoryRow).id }))
}

export async function countHistory(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('asset_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
