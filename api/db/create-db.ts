import fs from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { Kysely, Migrator, sql } from 'kysely'
import { PostgresJSDialect } from 'kysely-postgres-js'
import postgres from 'postgres'
import { failFast } from './availability.js'
import type { DB, Database } from './database.js'
import { lockDataDir, type DataDirLock } from './lock.js'
import { migrations } from './migrations/index.js'
import { PGliteDialect } from './pglite-dialect.js'

export type Backend = 'pglite' | 'postgresql'

export interface DatabaseHandle {
  readonly db: Database
  readonly backend: Backend
  /** The embedded database's lock (PGlite in a directory only): facts for other processes. */
  readonly lock?: DataDirLock
  /** The embedded database's data directory as a gzipped tarball, made while it runs (PGlite only). */
  dumpDataDir?(): Promise<Blob>
  close(): Promise<void>
}

export interface OpenOptions {
  /** A postgres:// URL; when absent, embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string | undefined
  /** PGlite data directory (created when missing), or `memory://` for a throw-away database. */
  readonly dataDir?: string | undefined
  /** postgres.js pool size. */
  readonly maxConnections?: number
  /** Seconds to wait for a TCP connection and login before the server counts as unreachable. */
  readonly connectTimeoutS?: number
  /** Longest wait (ms) for a free pooled connection before a request fails with 503. */
  readonly acquireTimeoutMs?: number
  /** Who opens an embedded database, for the message another process gets (see lock.ts). */
  readonly purpose?: string
  /** The caller holds the embedded database's lock itself (a restore, for its whole length). */
  readonly lockHeld?: boolean
}

/** Opens the database: the one place that knows PGlite from PostgreSQL. */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      // Fail fast while the server is down: a refused port answers at once, an unreachable
      // host after a few seconds (postgres.js waits 30 s by default) ...
      connect_timeout: options.connectTimeoutS ?? 3,
      // ... and reconnect soon after it is back (the default back-off grows to 10-20 s). While
      // it is down only one request at a time tries (see failFast), so a short wait is cheap.
      backoff: (retries: number) => Math.min(0.025 * 2 ** retries, 0.25),
      onnotice: () => {},
      // int8 (counts, sums) as numbers, as PGlite returns them: one behaviour on both backends.
      types: {
        int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: Number },
      },
    })
    const pool = failFast(client, { acquireTimeoutMs: options.acquireTimeoutMs ?? 15_000 })
    const db = new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: pool }) })
    try {
      await sql`select 1`.execute(db)
    } catch (e) {
      await db.destroy()
      throw new Error(
        `Cannot reach PostgreSQL at ${redactUrl(options.databaseUrl)}: ${messageOf(e)}`,
        {
          cause: e,
        },
      )
    }
    return { db, backend: 'postgresql', close: () => db.destroy() }
  }

  const dataDir = options.dataDir ?? 'memory://'
  let lock: DataDirLock | undefined
  if (!dataDir.startsWith('memory://')) {
    fs.mkdirSync(dataDir, { recursive: true })
    if (!options.lockHeld) {
      lock = lockDataDir(
        dataDir,
        options.purpose ?? `a Buurtkaart process (${process.argv[1] ?? 'node'})`,
      )
    }
  }
  let pg: PGlite
  try {
    pg = await PGlite.create(dataDir, { extensions: { postgis } })
  } catch (e) {
    lock?.release()
    throw e
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pg) })
  return {
    db,
    backend: 'pglite',
    ...(lock ? { lock } : {}),
    dumpDataDir: () => pg.dumpDataDir('gzip'),
    close: () => db.destroy().finally(() => lock?.release()),
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : JSON.stringify(e)
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable DATABASE_URL)'
  }
}

function migrator(db: Database): Migrator {
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } })
}

/** Runs every pending migration. Throws with the failing migration's error. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    throw new Error(`Migration ${failed ?? '(unknown)'} failed: ${messageOf(error)}`, {
      cause: error,
    })
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** The name of the newest applied migration, or null on an empty database. */
export async function currentMigration(db: Database): Promise<string | null> {
  const all = await migrator(db).getMigrations()
  const applied = all.filter((m) => m.executedAt !== undefined)
  return applied.at(-1)?.name ?? null
}
