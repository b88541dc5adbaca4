import type { Executor } from '../db/database.js'
import { appendAudit, listAudit, type AuditAction, type AuditEntry } from '../repositories/audit.js'

export type { AuditAction, AuditEntry }

/** Records what an administrator did that is not a change to a place (those go to the history). */
export function recordAudit(
  db: Executor,
  entry: { at: Date; actor: string; action: AuditAction; subject?: string | null; after?: unknown },
): Promise<void> {
  return appendAudit(db, entry)
}

/** The audit log for administrators, newest first, paged by entry id. */
export function readAudit(
  db: Executor,
  options: { limit: number; before?: number | undefined; subject?: string | undefined },
): Promise<AuditEntry[]> {
  return listAudit(db, options)
}
