import type { Executor } from '../db/database.js'

export interface SessionRow {
  readonly user_id: string
  readonly csrf_token: string
  readonly expires_at: Date
  readonly last_seen_at: Date
}

export async function insertSession(
  db: Executor,
  session: {
    idHash: string
    userId: string
    csrfToken: string
    createdAt: Date
    expiresAt: Date
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      last_seen_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute()
}

/** The session stored under the hash of its id, or undefined. */
export async function findSession(db: Executor, idHash: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'csrf_token', 'expires_at', 'last_seen_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst()
  return (
    row && {
      user_id: row.user_id,
      csrf_token: row.csrf_token,
      expires_at: new Date(row.expires_at),
      last_seen_at: new Date(row.last_seen_at),
    }
  )
}

export async function touchSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute()
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

/** Ends every session of an account; the number ended. */
export async function deleteSessionsOf(db: Executor, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** An account's sessions (for the AVG export): when made, last seen and ending. */
export async function listSessionsOf(
  db: Executor,
  userId: string,
): Promise<{ created_at: Date; last_seen_at: Date; expires_at: Date }[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .execute()
  return rows.map((r) => ({
    created_at: new Date(r.created_at),
    last_seen_at: new Date(r.last_seen_at),
    expires_at: new Date(r.expires_at),
  }))
}
