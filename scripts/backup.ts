import path from 'node:path'
import { parseArgs } from 'node:util'
import { backup } from '../api/admin/commands/backup.js'
import { execute, fail, loadConfigOrFail } from './cli.js'

const usage = `Usage: npm run backup -- [--out FILE]

Backs up the whole database: the register, its history, users, settings and the audit log.
PostgreSQL (DATABASE_URL): pg_dump's custom format (restore with npm run restore or pg_restore).
Embedded PGlite: its data directory as a .tar.gz (made by the running service when it runs).
Default FILE: backups/buurtkaart-<backend>-<time>.(dump|tar.gz).`

const { values } = parseArgs({
  options: { out: { type: 'string' }, help: { type: 'boolean', default: false } },
})
if (values.help) fail(usage)
const pg = Boolean(loadConfigOrFail().databaseUrl)
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const out =
  values.out ??
  path.join(
    'backups',
    `buurtkaart-${pg ? 'postgresql' : 'pglite'}-${stamp}.${pg ? 'dump' : 'tar.gz'}`,
  )
await execute(backup, { out: path.resolve(out) })
