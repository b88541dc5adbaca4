import { sql } from 'kysely'
import type { Executor } from '../db/database.js'

/** The PostGIS library version the database runs (a cheap query: the health check's probe). */
export async function postgisVersion(db: Executor): Promise<string> {
  const r = await sql<{ v: string }>`select postgis_lib_version() as v`.execute(db)
  return r.rows[0]?.v ?? 'unknown'
}
