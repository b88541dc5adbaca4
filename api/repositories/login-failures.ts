import type { Executor } from '../db/database.js'

/** Records one attempt under each key; the ids of the rows written. */
export async function recordAttempts(
  db: Executor,
  keyHashes: readonly string[],
  at: Date,
): Promise<number[]> {
  const rows = await db
    .insertInto('login_failures')
    .values(keyHashes.map((key_hash) => ({ key_hash, at })))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** The most recent attempts under a key since `since`, newest first, at most `limit`. */
export async function recentAttempts(
  db: Executor,
  keyHash: string,
  since: Date,
  limit: number,
): Promise<{ id: number; at: Date }[]> {
  const rows = await db
    .selectFrom('login_failures')
    .select(['id', 'at'])
    .where('key_hash', '=', keyHash)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, at: new Date(r.at) }))
}

export async function deleteAttempts(db: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await db.deleteFrom('login_failures').where('id', 'in', ids).execute()
}

export async function deleteAttemptsOlderThan(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('login_failures').where('at', '<', before).execute()
}

export async function deleteAttemptsUnder(
  db: Executor,
  keyHashes: readonly string[],
): Promise<void> {
  if (keyHashes.length === 0) return
  await db.deleteFrom('login_failures').where('key_hash', 'in', keyHashes).execute()
}
