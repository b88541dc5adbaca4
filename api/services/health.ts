import { currentMigration } from '../db/create-db.js'
import type { Database } from '../db/database.js'
import { postgisVersion } from '../repositories/system.js'

/** What the health check reports about the database when it answers. */
export interface DatabaseHealth {
  readonly postgis: string
  readonly migration: string | null
}

/** Asks the database for its PostGIS version and latest migration; throws when it is down. */
export async function databaseHealth(db: Database): Promise<DatabaseHealth> {
  return { postgis: await postgisVersion(db), migration: await currentMigration(db) }
}
