import { jsonb } from '../db/postgis.js'
import { toIso } from './assets.js'
import type { Executor } from '../db/database.js'
import { actorNames } from './users.js'

/** What the audit log records besides asset changes (those are in `asset_history`). */
export type AuditAction =
  | 'user.create'
  | 'user.update'
  | 'user.anonymise'
  | 'user.password'
  | 'token.create'
  | 'token.revoke'
  | 'token.revoke_all'
  | 'settings.update'
  | 'proposal.submit'
  | 'proposal.approve'
  | 'proposal.reject'
  | 'import.assets'
  | 'import.osm'
  | 'import.download'

export interface AuditEntry {
  readonly id: number
  readonly at: string
  readonly actor: string
  readonly actor_name: string | null
  readonly action: string
  readonly subject: string | null
  readonly before: unknown
  readonly after: unknown
}

/** Appends one entry; the table refuses updates and deletes (see the accounts migration). */
export async function appendAudit(
  db: Executor,
  entry: {
    at: Date
    actor: string
    action: AuditAction
    subject?: string | null
    before?: unknown
    after?: unknown
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? null,
      before: entry.before === undefined ? null : jsonb(entry.before),
      after: entry.after === undefined ? null : jsonb(entry.after),
    })
    .execute()
}

/** Newest first; `before` is an entry id to page back from; `subject` narrows to one thing. */
export async function listAudit(
  db: Executor,
  options: { limit: number; before?: number | undefined; subject?: string | undefined },
): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll()
  if (options.before !== undefined) query = query.where('id', '<', options.before)
  if (options.subject !== undefined) query = query.where('subject', '=', options.subject)
  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute()
  const names = await actorNames(
    db,
    rows.map((r) => r.actor),
  )
  return rows.map((r) => ({
    id: r.id,
    at: toIso(r.at),
    actor: r.actor,
    actor_name: names.get(r.actor) ?? null,
    action: r.action,
    subject: r.subject,
    before: r.before ?? null,
    after: r.after ?? null,
  }))
}
