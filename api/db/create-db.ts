import fs from 'node:fs'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import { DEFAULT_MIGRATION_TABLE, Migrator } from 'kysely/migration'
import type pg from 'pg'
import type { DB, Database } from './database.js'
import { lockDataDir, type DataDirLock } from './lock.js'
import { migrations } from './migrations/index.js'

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
  /** Connection pool size (node-postgres). */
  readonly maxConnections?: number
  /** Seconds to wait for a TCP connection and login before the server counts as unreachable. */
  readonly connectTimeoutS?: number
  /** Longest wait (ms) for a free pooled connection before a request fails with 503. */
  readonly acquireTimeoutMs?: number
  /** Who opens an embedded database, for the message another process gets (see lock.ts). */
  readonly purpose?: string
  /** The caller holds the embedded database's lock itself (a restore, for its whole length). */
  readonly lockHeld?: boolean
  /** PGlite only: a data directory as a tarball to start from (a copy, e.g. into `memory://`). */
  readonly loadDataDir?: Blob
}

/** Opens the database: the one place that knows PGlite from PostgreSQL. */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  // Each driver is imported when it is used: a start on one backend loads nothing of the other.
  if (options.databaseUrl) {
    const { default: driver } = await import('pg')
    const pool = postgresPool(driver, options)
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    try {
      await sql`select 1`.execute(db)
    } catch (e) {
      await db.destroy()
      throw new Error(
        `Cannot reach PostgreSQL at ${redactUrl(options.databaseUrl)}: ${messageOf(e)}`,
        { cause: e },
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
    const [{ PGlite }, postgis] = await Promise.all([
      import('@electric-sql/pglite'),
      import('./postgis-bundle.js').then((m) => m.postgisCore()),
    ])
    pg = await PGlite.create(dataDir, {
      extensions: { postgis },
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    })
  } catch (e) {
    lock?.release()
    throw e
  }
  // Kysely's own PGlite dialect: one connection, which Kysely hands out under a lock, so a
  // transaction holds it until it ends and concurrent requests queue behind it.
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite: pg }) })
  return {
    db,
    backend: 'pglite',
    ...(lock ? { lock } : {}),
    dumpDataDir: () => pg.dumpDataDir('gzip'),
    close: () => db.destroy().finally(() => lock?.release()),
  }
}

/** PostgreSQL's oid of int8 (bigint). */
const INT8_OID = 20

/** node-postgres's parsers, except int8 as a number (as PGlite gives it). */
function typeParser(driver: typeof pg) {
  return (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    if (oid === INT8_OID) return Number
    const parse: unknown = driver.types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text')
    return parse as (value: string) => unknown
  }
}

/**
 * A node-postgres pool that fails fast while the server is down: a refused port answers at once,
 * an unreachable host after `connectTimeoutS`, and a request waits at most `acquireTimeoutMs` for
 * a free connection. A broken connection leaves the pool (node-postgres drops a client that is no
 * longer queryable), so the first request after the outage reconnects.
 */
function postgresPool(driver: typeof pg, options: OpenOptions): pg.Pool {
  const connectTimeoutMs = (options.connectTimeoutS ?? 3) * 1000
  // node-postgres has one timeout for both waits; the pool's `Client` option is its documented
  // way to give new connections their own (shorter) connect timeout.
  class Client extends driver.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs })
    }
  }
  const pool = new driver.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 15_000,
    Client,
    // int8 (counts, sums) as numbers, as PGlite returns them: one behaviour on both backends.
    types: { getTypeParser: typeParser(driver) as typeof pg.types.getTypeParser },
  })
  // A connection the server closes (a restart, an admin's pg_terminate_backend) is an event,
  // not a crash. Idle, the pool drops it; checked out (between a transaction's statements), the
  // next statement on it fails as unavailable (503) and the pool drops it when it comes back.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
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

/**
 * The names of the applied migrations in order, read from Kysely's own table without the
 * Migrator's set-up (it creates its tables and lock row if missing: DDL on every call); none on
 * a database that was never migrated.
 */
async function appliedMigrations(db: Database): Promise<string[]> {
  const table = await sql<{
    t: string | null
  }>`select to_regclass(${DEFAULT_MIGRATION_TABLE})::text as t`.execute(db)
  if (!table.rows[0]?.t) return []
  const rows = await sql<{ name: string }>`select name from ${sql.table(
    DEFAULT_MIGRATION_TABLE,
  )} order by name`.execute(db)
  // Sorted here, not by the database's collation: the same order as `Object.keys(migrations)`.
  return rows.rows.map((r) => r.name).sort()
}

/**
 * Runs every pending migration. Throws with the failing migration's error. A database that holds
 * exactly the migrations this code has (the usual start) is left alone without the Migrator.
 */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const known = Object.keys(migrations).sort()
  const applied = await appliedMigrations(db)
  if (applied.length === known.length && applied.every((name, i) => name === known[i])) return []
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
  return (await appliedMigrations(db)).at(-1) ?? null
}
