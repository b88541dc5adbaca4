import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { loadConfig } from '../api/config.js'
import { restorePglite, restorePostgres } from '../api/db/backup.js'
import { openDatabase, redactUrl } from '../api/db/create-db.js'
import { DataDirInUseError, lockDataDir } from '../api/db/lock.js'
import { fail } from './cli.js'

const usage = `Usage: npm run restore -- FILE [--force]

Restores a backup made by npm run backup into the configured database (DATABASE_URL, or the
embedded one in BUURTKAART_DATA_DIR). A database that already holds places or users is only
replaced with --force; an embedded one is then moved aside, not deleted. Stop the service first:
a restore replaces the database under it, so it refuses while the service has it open.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
const file = positionals[0]
if (values.help || !file) fail(usage)
if (!fs.existsSync(file)) fail(`No such file: ${file}`)
const config = loadConfig()
// The embedded database stays locked for the whole restore: nobody opens it half-replaced.
let lock: ReturnType<typeof lockDataDir> | undefined
if (!config.databaseUrl) {
  try {
    lock = lockDataDir(config.dataDir, 'npm run restore')
  } catch (e) {
    if (e instanceof DataDirInUseError) fail(e.message)
    throw e
  }
}
const where = {
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  maxConnections: 1,
  lockHeld: true,
}

/** Places and users in the target now (0 when it is empty or has no tables yet). */
async function holdings(): Promise<number> {
  if (!config.databaseUrl && !fs.existsSync(config.dataDir)) return 0
  const handle = await openDatabase(where)
  try {
    const r = await sql<{ n: number }>`select
      (select count(*) from assets)::int + (select count(*) from users)::int as n`.execute(
      handle.db,
    )
    return r.rows[0]?.n ?? 0
  } catch {
    return 0
  } finally {
    await handle.close()
  }
}

if (!values.force && (await holdings()) > 0) {
  fail(
    'The database already holds places or users. Restore over it with --force (a backup first is wise).',
  )
}
try {
  if (config.databaseUrl) {
    await restorePostgres(config.databaseUrl, file)
  } else {
    const kept = await restorePglite(config.dataDir, file, new Date())
    if (kept) console.log(`The database that was there is kept in ${kept}.`)
  }
} catch (e) {
  fail(
    `Restore failed, nothing was replaced: ${(e as Error).message.replaceAll(config.databaseUrl ?? '\u0000', redactUrl(config.databaseUrl ?? ''))}`,
  )
}
const handle = await openDatabase(where)
const counts = await sql<{ assets: number; history: number; users: number }>`select
  (select count(*) from assets)::int as assets, (select count(*) from asset_history)::int as history,
  (select count(*) from users)::int as users`.execute(handle.db)
await handle.close()
lock?.release()
const c = counts.rows[0]
console.log(
  `Restored ${file}: ${c?.assets} places, ${c?.history} history entries, ${c?.users} users.`,
)
