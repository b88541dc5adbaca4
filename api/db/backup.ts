import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { openDatabase } from './create-db.js'

const run = promisify(execFile)

/**
 * Backup and restore of the whole database, for both backends. PostgreSQL: pg_dump's custom
 * format and pg_restore (the tools of the server's major version; the password goes through
 * PGPASSWORD, never the command line). Embedded PGlite: its data directory as a gzipped tarball
 * (PGlite's own dump, made by whoever owns the database: `DatabaseHandle.dumpDataDir`); a restore
 * needs the service stopped, as PGlite is one process at a time.
 */

/** A connection URL without its password, and the password for PGPASSWORD. */
function splitPassword(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url)
  const password = decodeURIComponent(u.password)
  u.password = ''
  return {
    url: u.toString(),
    env: password ? { ...process.env, PGPASSWORD: password } : process.env,
  }
}

export async function backupPostgres(databaseUrl: string, file: string): Promise<void> {
  const { url, env } = splitPassword(databaseUrl)
  await run(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${url}`],
    {
      env,
    },
  )
}

/** Replaces everything in the database with the backup, in one transaction. */
export async function restorePostgres(databaseUrl: string, file: string): Promise<void> {
  const { url, env } = splitPassword(databaseUrl)
  await run(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${url}`,
      file,
    ],
    { env },
  )
}

/**
 * Restores a PGlite backup into `dataDir`. The backup is first unpacked and opened in a staging
 * directory beside it; only when that database opens does it take the place of `dataDir`. An
 * existing database there is moved aside (kept as `<dataDir>.before-restore-<time>`), never
 * deleted; a backup that does not open changes nothing. The caller holds `dataDir`'s lock.
 */
export async function restorePglite(
  dataDir: string,
  file: string,
  now: Date,
): Promise<string | undefined> {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const staging = `${dataDir}.restoring-${stamp}`
  fs.rmSync(staging, { recursive: true, force: true })
  try {
    const handle = await openDatabase({
      dataDir: staging,
      lockHeld: true,
      loadDataDir: new Blob([fs.readFileSync(file)]),
    })
    try {
      await sql`select 1`.execute(handle.db)
    } finally {
      await handle.close()
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true })
    throw e
  }
  let kept: string | undefined
  if (fs.existsSync(dataDir)) {
    if (fs.readdirSync(dataDir).length > 0) {
      kept = `${dataDir}.before-restore-${stamp}`
      fs.renameSync(dataDir, kept)
    } else {
      fs.rmdirSync(dataDir)
    }
  }
  fs.renameSync(staging, dataDir)
  return kept
}
