import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { projectRoot } from '../../api/config.js'
import { openDatabase } from '../../api/db/create-db.js'
import { DataDirInUseError, lockPathOf } from '../../api/db/lock.js'
import { needsSharedData, requireSharedData } from '../helpers/backends.js'
import { runScript } from '../helpers/scripts.js'

/**
 * The embedded database has one owner. Two processes that opened one PGlite data directory
 * corrupted it (a user row found by a scan but not through the e-mail index; a UNIQUE constraint
 * that stopped holding). Now the first takes a lock and the rest are refused, or — the
 * command-line tools — run their command inside the service that owns it.
 */

function dataDirFromTemplate(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-owner-')), 'pglite')
  fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true })
  return dir
}

const script = runScript

/** The real service (api/server.ts) on `dataDir`, as `npm start` runs it; resolves when ready. */
async function startService(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  // One process, as `npm start` runs the built server: tsx's launcher in between relays SIGTERM
  // and kills the service outright (exit 143) when it does not answer within 30 ms, which a
  // busy machine can miss. tests/helpers/loadtest.ts starts it the same way.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('api', 'server.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      BUURTKAART_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      BUURTKAART_SEED: 'false',
      BUURTKAART_REGION_DATA: 'none',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const m = / ready in \d+ ms on (http:\/\/localhost:\d+)/.exec(output)
      if (m) resolve((m[1] as string).replace('localhost', '127.0.0.1'))
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`service exited with ${code}: ${output}`)))
  })
  return { child, url }
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode)
    child.on('exit', (code) => resolve(code))
    child.kill('SIGTERM')
  })
}

describe('one owner per embedded database', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f()
  })

  it('refuses a second opener with a message naming the owner, and takes over a stale lock', async () => {
    const dir = dataDirFromTemplate()
    cleanup.push(() => Promise.resolve(fs.rmSync(path.dirname(dir), { recursive: true })))
    const first = await openDatabase({ dataDir: dir, purpose: 'the test' })
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(DataDirInUseError)
      // Another process: the command line names who has it.
      const migrate = await script('migrate.ts', [], { BUURTKAART_DATA_DIR: dir })
      expect(migrate.code).toBe(1)
      expect(migrate.stderr).toContain(`in use by the test (pid ${process.pid}`)
    } finally {
      await first.close()
    }
    expect(fs.existsSync(lockPathOf(dir))).toBe(false)

    // A lock left by a process that died (kill -9) is stale: the next opener takes it.
    const dead = spawn(process.execPath, ['-e', ''])
    const pid = dead.pid as number
    await new Promise((resolve) => dead.on('exit', resolve))
    fs.writeFileSync(
      lockPathOf(dir),
      JSON.stringify({
        pid,
        hostname: os.hostname(),
        processStart: null,
        startedAt: '2026-12-01T00:00:00Z',
        purpose: 'the Buurtkaart service',
      }),
    )
    const again = await openDatabase({ dataDir: dir })
    expect(JSON.parse(fs.readFileSync(lockPathOf(dir), 'utf8')).pid).toBe(process.pid)
    await again.close()
  })

  it.runIf(needsSharedData())(
    "the README's first steps in their order: the service runs, npm run user:add makes an admin who can sign in",
    async () => {
      const dir = dataDirFromTemplate()
      cleanup.push(() => Promise.resolve(fs.rmSync(path.dirname(dir), { recursive: true })))
      const { child, url } = await startService(dir)
      cleanup.push(() => stop(child))
      const env = { BUURTKAART_DATA_DIR: dir }

      const made = await script(
        'user-add.ts',
        ['--role', 'admin', '--email', 'beheer@example.nl', '--name', 'Beheer', '--password-stdin'],
        env,
        'een-lang-wachtwoord\n',
      )
      expect(made.code, made.stderr).toBe(0)
      expect(made.stdout).toMatch(/Made admin beheer@example.nl/)
      expect(made.stderr).toMatch(/running it there/)

      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'beheer@example.nl', password: 'een-lang-wachtwoord' }),
      })
      expect(login.status).toBe(200)
      expect(((await login.json()) as { role: string }).role).toBe('admin')

      // The UNIQUE e-mail holds: a second account with it is refused, by the CLI and the API.
      const twice = await script(
        'user-add.ts',
        [
          '--role',
          'admin',
          '--email',
          'beheer@example.nl',
          '--name',
          'Nog eens',
          '--password-stdin',
        ],
        env,
        'een-ander-wachtwoord\n',
      )
      expect(twice.code).toBe(1)
      expect(twice.stderr).toMatch(/already an account/)

      // Areas load through the service too, and it serves them at once.
      const areas = await script(
        'import-areas.ts',
        [requireSharedData('flevoland_gemeenten_2022.geojson')],
        env,
      )
      expect(areas.code, areas.stderr).toBe(0)
      const listed = (await (await fetch(`${url}/api/areas?level=gemeente`)).json()) as {
        features: unknown[]
      }
      expect(listed.features).toHaveLength(6)

      // Replacing the database under a running service is refused.
      const restore = await script('restore.ts', [path.join(projectRoot, 'package.json')], env)
      expect(restore.code).toBe(1)
      expect(restore.stderr).toMatch(/in use by the Buurtkaart service/)

      expect(await stop(child)).toBe(0)
      expect(fs.existsSync(lockPathOf(dir))).toBe(false)
    },
  )
})
