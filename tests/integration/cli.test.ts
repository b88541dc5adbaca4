import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { projectRoot } from '../../api/config.js'
import { openDatabase, type Backend } from '../../api/db/create-db.js'
import {
  backends,
  needsSharedData,
  openTestDatabase,
  requireSharedData,
} from '../helpers/backends.js'

const run = promisify(execFile)
const TSX = path.join(projectRoot, 'node_modules', '.bin', 'tsx')

/**
 * A database for a command-line script to open on its own: PGlite is one process at a time, so
 * the test closes its handle first and hands the script the data directory or URL.
 */
async function scriptDatabase(backend: Backend): Promise<{
  env: Record<string, string>
  reopen: () => ReturnType<typeof openDatabase>
  dispose: () => Promise<void>
}> {
  if (backend === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-cli-'))
    fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true })
    return {
      env: { BUURTKAART_DATA_DIR: dir },
      reopen: () => openDatabase({ dataDir: dir }),
      dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
    }
  }
  const opened = await openTestDatabase(backend)
  const name = (await sql<{ n: string }>`select current_database() as n`.execute(opened.handle.db))
    .rows[0]?.n
  const url = new URL(inject('postgresTemplateUrl') ?? '')
  url.pathname = `/${name}`
  return {
    env: { DATABASE_URL: url.toString() },
    reopen: () => openDatabase({ databaseUrl: url.toString(), maxConnections: 1 }),
    dispose: opened.dispose,
  }
}

async function script(name: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(TSX, [path.join(projectRoot, 'scripts', name), ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env, LOG_LEVEL: 'error' },
    })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, stdout: err.stdout, stderr: err.stderr }
  }
}

describe.each(backends())('command-line scripts [%s]', (backend) => {
  let dispose: (() => Promise<void>) | undefined
  afterEach(async () => {
    await dispose?.()
    dispose = undefined
  })

  it.runIf(needsSharedData())('npm run import:areas loads the real wijken file', async () => {
    const db = await scriptDatabase(backend)
    dispose = db.dispose
    const res = await script(
      'import-areas.ts',
      [requireSharedData('flevoland_wijken_2022.geojson')],
      db.env,
    )
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain('Loaded 103 areas (103 wijk); inhabitants in total 434.715')
    const handle = await db.reopen()
    const row = await sql<{ n: number; total: number; year: number }>`
      select count(*)::int as n, sum(inhabitants)::int as total, min(inhabitants_year) as year from areas`.execute(
      handle.db,
    )
    await handle.close()
    expect(row.rows[0]).toEqual({ n: 103, total: 434_715, year: 2022 })
  })

  it('npm run import reports row errors in a dry run, then imports a CSV, and exits 1 on bad rows', async () => {
    const db = await scriptDatabase(backend)
    dispose = db.dispose
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-csv-'))
    const good = path.join(dir, 'good.csv')
    const bad = path.join(dir, 'bad.csv')
    fs.writeFileSync(
      good,
      'source_ref,name,kind,lon,lat\nb1,Bankje,bench,5.47,52.51\nb2,Bieb,library,5.48,52.52\n',
    )
    fs.writeFileSync(bad, 'source_ref,name,kind,lon,lat\nb3,Kasteel,castle,5.47,52.51\n')

    const dry = await script('import-assets.ts', [good, '--dry-run'], db.env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('Dry run: would create 2')
    const real = await script('import-assets.ts', [good], db.env)
    expect(real.stdout).toContain('Created 2')
    const refused = await script('import-assets.ts', [bad], db.env)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('row 2 /properties/kind')

    const handle = await db.reopen()
    const count = await sql<{ n: number }>`select count(*)::int as n from assets`.execute(handle.db)
    await handle.close()
    expect(count.rows[0]?.n).toBe(2)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
