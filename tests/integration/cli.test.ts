import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { projectRoot } from '../../api/config.js'
import { openDatabase, type Backend } from '../../api/db/create-db.js'
import { createAssetService } from '../../api/services/assets.js'
import { systemClock } from '../../api/domain/clock.js'
import { sha256 } from '../../api/services/auth.js'
import { createUser } from '../../api/services/users.js'
import {
  assetBody,
  type AreaSet,
  backends,
  testSchemas,
  needsSharedData,
  openTestDatabase,
  pgliteTemplateDir,
  REAL_COUNTS_2024,
  requireSharedData,
  truncateTables,
} from '../helpers/backends.js'
import { openLocalPostgres } from '../helpers/local-postgres.js'
import { runScript } from '../helpers/scripts.js'
import { pbfBytes } from '../helpers/osm.js'

const run = promisify(execFile)

/**
 * A database for a command-line script to open on its own: PGlite is one process at a time, so
 * the test closes its handle first and hands the script the data directory or URL.
 */
async function scriptDatabase(
  backend: Backend,
  areas?: AreaSet,
): Promise<{
  env: Record<string, string>
  reopen: () => ReturnType<typeof openDatabase>
  dispose: () => Promise<void>
}> {
  if (backend === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-cli-'))
    fs.cpSync(pgliteTemplateDir(areas), dir, { recursive: true })
    return {
      env: { BUURTKAART_DATA_DIR: dir },
      reopen: () => openDatabase({ dataDir: dir }),
      dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
    }
  }
  const opened = await openTestDatabase(backend, { areas })
  const name = (await sql<{ n: string }>`select current_database() as n`.execute(opened.handle.db))
    .rows[0]?.n
  const url = new URL(inject('postgresTemplateUrl') ?? '')
  url.pathname = `/${name}`
  return {
    env: { DATABASE_URL: url.toString() },
    reopen: () => openLocalPostgres(url.toString(), 1),
    dispose: opened.dispose,
  }
}

const script = (name: string, args: string[], env: Record<string, string>) =>
  runScript(name, args, env)
const scriptWithInput = runScript

describe.each(backends())('command-line scripts [%s]', (backend) => {
  let dispose: (() => Promise<void>) | undefined
  afterEach(async () => {
    await dispose?.()
    dispose = undefined
  })

  it.runIf(needsSharedData())(
    "npm run import:areas loads the README's example and prints each level and gemeente beside CBS's count",
    async () => {
      const db = await scriptDatabase(backend)
      dispose = db.dispose
      const res = await script(
        'import-areas.ts',
        [
          requireSharedData('flevoland_gemeenten_2022.geojson'),
          requireSharedData('flevoland_wijken_2022.geojson'),
          requireSharedData('flevoland_pc4_2020geom_pop2021.geojson'),
          requireSharedData(REAL_COUNTS_2024),
        ],
        db.env,
      )
      expect(res.code, res.stderr).toBe(0)
      const out = res.stdout.replace(/ +/g, ' ')
      expect(out).toContain('Loaded 203 areas (6 gemeente, 103 wijk, 94 pc4).')
      expect(out).toContain('Counts for 2024: 109 areas (6 gemeente, 103 wijk)')
      // Per level on its own, never one sum of the three levels (1.297.696 people that do not exist).
      expect(out).toContain(
        'gemeente 6 of 6 areas with a count: 450.826 (CBS 2024; control totals)',
      )
      expect(out).toContain(
        'wijk 103 of 103 areas with a count: 450.830 (CBS 2024; units of the surface)',
      )
      expect(out).toContain(
        'pc4 93 of 94 areas with a count: 428.210 (CBS 2021; ancillary density only)',
      )
      expect(out).not.toMatch(/in total|1\.297\.696|1\.329\.866/)
      // Per gemeente: CBS's own count beside its wijken's counts together.
      expect(out).toContain('GM0995 Lelystad 84.080 | 84.080 |')
      expect(out).toContain('GM0034 Almere 226.500 | 226.505 |')
      const handle = await db.reopen()
      const row = await sql<{ n: number }>`
        select count(*)::int as n from area_counts where year = 2024`.execute(handle.db)
      await handle.close()
      expect(row.rows[0]?.n).toBe(109)
    },
  )

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

  it('npm run import:osm refuses a damaged or oversized file with a plain message and exit code 1', async () => {
    const db = await scriptDatabase(backend)
    dispose = db.dispose
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-osm-cli-'))
    const damaged = path.join(dir, 'damaged.osm.pbf')
    fs.writeFileSync(damaged, pbfBytes([{ type: 'OSMHeader', zlib: Buffer.from('not zlib!!') }]))
    const bomb = path.join(dir, 'bomb.osm.gz')
    fs.writeFileSync(bomb, gzipSync(`<osm version="0.6">${' '.repeat(4 << 20)}</osm>`))

    const refused = await script('import-osm.ts', [damaged], db.env)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('A block in the .osm.pbf file does not decompress')
    expect(refused.stderr).not.toMatch(/^\s+at /m)
    const tooBig = await script('import-osm.ts', [bomb], {
      ...db.env,
      BUURTKAART_MAX_OSM_BYTES: String(64 * 1024),
    })
    expect(tooBig.code).toBe(1)
    expect(tooBig.stderr).toContain('larger than the limit of 64 KiB (BUURTKAART_MAX_OSM_BYTES)')
    expect(tooBig.stderr).not.toMatch(/^\s+at /m)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it.runIf(needsSharedData())(
    'npm run report prints the gap report of Lelystad to a PDF whose first page has the figures',
    async () => {
      // The real gemeenten and wijken, from the run's template.
      const db = await scriptDatabase(backend, 'gemeenten+wijken')
      dispose = db.dispose
      const handle = await db.reopen()
      const assets = createAssetService({ db: handle.db, clock: systemClock })
      for (const [i, p] of [
        [5.4714, 52.5185],
        [5.43, 52.505],
        [5.5, 52.52],
      ].entries()) {
        await assets.create(
          testSchemas.create.parse(assetBody({ name: `Buurthuis ${i}` }, p as [number, number])),
          'test',
        )
      }
      await handle.close()
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-report-'))
      const pdf = path.join(dir, 'GM0995.pdf')
      const res = await script('report.ts', ['GM0995', '--out', pdf], db.env)
      expect(res.code, res.stderr).toBe(0)
      const m = /(\d+\.\d)% \((\d+) of (\d+) inhabitants\) within 800 m/.exec(res.stdout)
      expect(m, res.stdout).not.toBeNull()
      expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
      const { stdout: text } = await run('pdftotext', ['-l', '1', '-layout', pdf, '-'])
      expect(text).toContain('Ontmoetingsplekken in Lelystad')
      const share = m![1]!.replace('.', ',')
      expect(text.replace(/\s+/g, ' ')).toContain(`${share}% van de inwoners woont binnen 800 m`)
      // Kept for a person to look at: test-results/report-GM0995-<backend>.pdf
      fs.mkdirSync(path.join(projectRoot, 'test-results'), { recursive: true })
      fs.copyFileSync(pdf, path.join(projectRoot, 'test-results', `report-GM0995-${backend}.pdf`))
      fs.rmSync(dir, { recursive: true, force: true })
    },
  )

  it('npm run user:add makes an account with a password from stdin; token:add prints a working token once', async () => {
    const db = await scriptDatabase(backend)
    dispose = db.dispose
    const made = await scriptWithInput(
      'user-add.ts',
      ['--role', 'admin', '--email', 'Beheer@Example.nl', '--name', 'Beheer', '--password-stdin'],
      db.env,
      'een-goed-wachtwoord-1\n',
    )
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toMatch(/Made admin beheer@example.nl/)
    expect(made.stdout + made.stderr).not.toContain('een-goed-wachtwoord-1')
    const token = await script(
      'token-add.ts',
      ['--email', 'beheer@example.nl', '--name', 'import', '--days', '30'],
      db.env,
    )
    expect(token.code, token.stderr).toBe(0)
    const until = /valid until (\S+)\./.exec(token.stderr)?.[1]
    expect(Date.parse(until ?? '') - Date.now()).toBeGreaterThan(29 * 24 * 3600_000)
    expect(Date.parse(until ?? '') - Date.now()).toBeLessThanOrEqual(30 * 24 * 3600_000)
    const secret = token.stdout.trim()
    expect(secret).toMatch(/^bk_[\w-]{40,}$/)
    const handle = await db.reopen()
    const rows = await sql<{
      role: string
      token_hash: string
    }>`select role, token_hash from api_tokens`.execute(handle.db)
    const users = await sql<{ password_hash: string }>`select password_hash from users`.execute(
      handle.db,
    )
    await handle.close()
    expect(rows.rows).toEqual([{ role: 'admin', token_hash: sha256(secret) }])
    expect(users.rows[0]!.password_hash).toMatch(/^scrypt\$/)
    const short = await scriptWithInput(
      'user-add.ts',
      ['--email', 'kort@example.nl', '--name', 'Kort', '--password-stdin'],
      db.env,
      'kort\n',
    )
    expect(short.code).toBe(1)
    expect(short.stderr).toMatch(/\/password: .*10/)
  })

  it('npm run backup and npm run restore round-trip the register, its history, users and the audit log', async () => {
    const db = await scriptDatabase(backend)
    dispose = db.dispose
    const handle = await db.reopen()
    const clock = systemClock
    const user = await createUser(
      handle.db,
      {
        email: 'fatima@example.nl',
        display_name: 'Fatima',
        role: 'trusted',
        password: 'een-lang-wachtwoord-42',
      },
      { actor: 'test', clock },
    )
    const assets = createAssetService({ db: handle.db, clock })
    const place = await assets.create(
      testSchemas.create.parse(assetBody({ name: 'Buurthuis De Kern' })),
      `user:${user.id}`,
    )
    await assets.update(
      place.id,
      1,
      testSchemas.patch.parse({ properties: { name: 'De Kern' } }),
      `user:${user.id}`,
    )
    const snapshot = async (h: Awaited<ReturnType<typeof db.reopen>>) => ({
      users: (
        await sql`select id, email, display_name, role, password_hash from users order by id`.execute(
          h.db,
        )
      ).rows,
      assets: (
        await sql`select id, name, version, ST_AsText(geom) as geom from assets order by id`.execute(
          h.db,
        )
      ).rows,
      history: (
        await sql`select asset_id, version, action, actor, before, after from asset_history order by id`.execute(
          h.db,
        )
      ).rows,
      audit: (await sql`select actor, action, subject from audit_log order by id`.execute(h.db))
        .rows,
    })
    const before = await snapshot(handle)
    await handle.close()
    expect(before.history).toHaveLength(2)

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-backup-'))
    const file = path.join(dir, backend === 'pglite' ? 'backup.tar.gz' : 'backup.dump')
    const made = await script('backup.ts', ['--out', file], db.env)
    expect(made.code, made.stderr).toBe(0)
    expect(fs.statSync(file).size).toBeGreaterThan(1000)

    // Something goes wrong after the backup: the places and their history are gone.
    const broken = await db.reopen()
    await truncateTables(broken.db, ['asset_history', 'proposals', 'assets'])
    await broken.close()

    const refused = await script('restore.ts', [file], db.env)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/--force/)
    // A damaged backup (cut off half-way) is refused and changes nothing: the database is the
    // one that was there, in its place, with no staging copy left beside it.
    const damaged = path.join(dir, `damaged-${path.basename(file)}`)
    const whole = fs.readFileSync(file)
    fs.writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length / 2)))
    // What lies beside the embedded data directory (its parent's entries named `<dir>.…`).
    const dataDir = db.env.BUURTKAART_DATA_DIR
    const beside = () =>
      dataDir
        ? fs
            .readdirSync(path.dirname(dataDir))
            .filter((f) => f.startsWith(`${path.basename(dataDir)}.`))
            .map((f) => path.join(path.dirname(dataDir), f))
        : []
    const besideBefore = beside()
    const failed = await script('restore.ts', [damaged, '--force'], db.env)
    expect(failed.code, failed.stdout).toBe(1)
    expect(failed.stderr).toMatch(/Restore failed, nothing was replaced/)
    const unchanged = await db.reopen()
    const left = await snapshot(unchanged)
    await unchanged.close()
    expect(left.users).toEqual(before.users)
    expect(left.assets).toEqual([])
    expect(beside()).toEqual(besideBefore)

    const restored = await script('restore.ts', [file, '--force'], db.env)
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toContain('1 places, 2 history entries, 1 users')
    const after = await db.reopen()
    expect(await snapshot(after)).toEqual(before)
    await after.close()
    fs.rmSync(dir, { recursive: true, force: true })
    // The embedded database that was replaced was kept beside the data directory.
    for (const kept of beside().filter((f) => f.includes('.before-restore-'))) {
      fs.rmSync(kept, { recursive: true, force: true })
    }
  })
})
