import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../api/config.js'
import { backupPglite, backupPostgres } from '../api/db/backup.js'
import { redactUrl } from '../api/db/create-db.js'
import { fail } from './cli.js'

const usage = `Usage: npm run backup -- [--out FILE]

Backs up the whole database: the register, its history, users, settings and the audit log.
PostgreSQL (DATABASE_URL): pg_dump's custom format (restore with npm run restore or pg_restore).
Embedded PGlite: its data directory as a .tar.gz; stop the service first.
Default FILE: backups/buurtkaart-<backend>-<time>.(dump|tar.gz).`

const { values } = parseArgs({
  options: { out: { type: 'string' }, help: { type: 'boolean', default: false } },
})
if (values.help) fail(usage)
const config = loadConfig()
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const backend = config.databaseUrl ? 'postgresql' : 'pglite'
const out =
  values.out ??
  path.join('backups', `buurtkaart-${backend}-${stamp}.${config.databaseUrl ? 'dump' : 'tar.gz'}`)
fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true })
try {
  if (config.databaseUrl) await backupPostgres(config.databaseUrl, out)
  else await backupPglite(config.dataDir, out)
} catch (e) {
  fail(
    `Backup failed: ${(e as Error).message.replaceAll(config.databaseUrl ?? '\u0000', redactUrl(config.databaseUrl ?? ''))}`,
  )
}
console.log(
  `Backed up ${config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir} to ${out} (${fs.statSync(out).size} bytes).`,
)
