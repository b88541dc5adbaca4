import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { postgisCore } from './postgis-bundle.js'

const run = promisify(execFile)

/**
 * Backup and restore of the whole database, for both backends. PostgreSQL: pg_dump's custom
 * format and pg_restore (the tools of the server's major version; the password goes through
 * PGPASSWORD, never the command line). Embedded PGlite: its data directory as a gzipped tarball
 * (PGlite's own dump); the service must be stopped, as PGlite is one process at a time.
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

export async function backupPglite(dataDir: string, file: string): Promise<void> {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(`No embedded database in ${dataDir}.`)
  }
  const pg = await PGlite.create(dataDir, { extensions: { postgis: await postgisCore() } })
  try {
    const dump = await pg.dumpDataDir('gzip')
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  } finally {
    await pg.close()
  }
}

/**
 * Restores a PGlite backup into `dataDir`. An existing database there is moved aside (kept as
 * `<dataDir>.before-restore-<time>`), never deleted.
 */
export async function restorePglite(
  dataDir: string,
  file: string,
  now: Date,
): Promise<string | undefined> {
  let kept: string | undefined
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    kept = `${dataDir}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`
    fs.renameSync(dataDir, kept)
  }
  const blob = new Blob([fs.readFileSync(file)])
  const pg = await PGlite.create(dataDir, {
    extensions: { postgis: await postgisCore() },
    loadDataDir: blob,
  })
  try {
    await pg.query('select 1')
  } finally {
    await pg.close()
  }
  return kept
}
