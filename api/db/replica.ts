import { currentMigration } from './create-db.js'
import type { Database } from './database.js'

/**
 * Waits until the read replica has the primary's newest migration: it follows the primary by
 * replication and is never migrated itself, so right after a deploy's migration it may lag a
 * moment. A replica that never catches up (a wrong URL, an empty database, replication broken)
 * stops the start with a clear message instead of failing every read later.
 */
export async function awaitReplicaSchema(
  primary: Database,
  replica: Database,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const expected = await currentMigration(primary)
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    const found = await currentMigration(replica)
    if (found === expected) return
    if (Date.now() >= deadline) {
      throw new Error(
        `The read replica (BUURTKAART_READ_DATABASE_URL) is not at the primary's schema: it has ` +
          `migration ${found ?? '(none)'}, the primary ${expected ?? '(none)'}. Point it at a ` +
          `streaming replica of DATABASE_URL, or leave it unset.`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500))
  }
}
