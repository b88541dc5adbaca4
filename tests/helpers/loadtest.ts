/**
 * The load and fault test engine, shared by `npm run loadtest` (50 clients, 60 s) and the short
 * CI version in tests/integration/faults.test.ts.
 *
 * It starts a private PostgreSQL cluster (initdb in a temporary directory, its own port and
 * socket directory: it never touches the shared server), starts the real service as a child
 * process against it, runs N clients of mixed reads and writes, stops PostgreSQL in the middle
 * and starts it again, checks every answer and the database's end state (acknowledged writes,
 * history), then sends SIGTERM during in-flight requests and checks the graceful shutdown.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { DEFAULT_TOKEN_MAX_DAYS, projectRoot } from '../../api/config.js'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../api/db/create-db.js'
import { importAreas } from '../../api/services/areas.js'
import { systemClock } from '../../api/domain/clock.js'
import { createAuth } from '../../api/services/auth.js'
import { createUser } from '../../api/services/users.js'

const run = promisify(execFile)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export const SHARED_DATA = path.resolve(
  process.env.BUURTKAART_SHARED_DATA ?? path.join(projectRoot, '..', 'shared', 'data'),
)

// ---------------------------------------------------------------------------------------------
// A private PostgreSQL cluster

const PG_ROOT = '/usr/lib/postgresql'

/** The newest PostgreSQL server's bin directory, or null. */
function pgBinDir(): string | null {
  if (!fs.existsSync(PG_ROOT)) return null
  const versions = fs
    .readdirSync(PG_ROOT)
    .filter((v) => fs.existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? path.join(PG_ROOT, versions[0], 'bin') : null
}

/** Why a private cluster cannot be made here, or null when it can. */
export function clusterUnavailable(): string | null {
  if (process.platform !== 'linux') return 'a private PostgreSQL cluster needs Linux'
  if (process.getuid?.() !== 0)
    return 'a private PostgreSQL cluster needs root (initdb and pg_ctl run as the postgres OS user)'
  if (spawnSync('id', ['postgres']).status !== 0) return 'there is no postgres OS user'
  if (!pgBinDir()) return `no PostgreSQL server binaries (initdb) under ${PG_ROOT}`
  if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).error) return 'runuser is missing'
  return null
}

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** What must not outlive this process even when it is killed mid-test (a test timeout). */
const leftovers = new Set<() => void>()
let exitHook = false
function onExit(cleanup: () => void): () => void {
  if (!exitHook) {
    exitHook = true
    process.once('exit', () => {
      for (const f of leftovers) f()
    })
  }
  leftovers.add(cleanup)
  return () => leftovers.delete(cleanup)
}

export class PrivateCluster {
  private running = false
  private forget: () => void = () => {}
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  /** initdb in a fresh temporary directory and start it on a free port. */
  static async create(): Promise<PrivateCluster> {
    const why = clusterUnavailable()
    if (why) throw new Error(why)
    const bin = pgBinDir() as string
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-pg-'))
    await run('chown', ['postgres:', dir])
    const cluster = new PrivateCluster(dir, await freePort(), bin)
    cluster.forget = onExit(() => {
      spawnSync(
        'runuser',
        [
          '-u',
          'postgres',
          '--',
          path.join(bin, 'pg_ctl'),
          '-D',
          cluster.dataDir,
          '-m',
          'immediate',
          'stop',
        ],
        { stdio: 'ignore' },
      )
      fs.rmSync(dir, { recursive: true, force: true })
    })
    try {
      await cluster.asPostgres('initdb', [
        '-D',
        cluster.dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '--no-locale',
        '-E',
        'UTF8',
        '--no-sync',
      ])
      await cluster.start()
    } catch (e) {
      await cluster.destroy()
      throw e
    }
    return cluster
  }

  get dataDir(): string {
    return path.join(this.dir, 'data')
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }

  private asPostgres(tool: string, args: string[]) {
    return run('runuser', ['-u', 'postgres', '--', path.join(this.bin, tool), ...args], {
      cwd: this.dir,
      maxBuffer: 16 * 1024 * 1024,
    })
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    await this.asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      path.join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=100`,
      '-w',
      '-t',
      '60',
      'start',
    ])
    this.running = true
  }

  /** Fast shutdown: open transactions are rolled back, connections are closed. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.asPostgres('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop'])
    this.running = false
  }

  /** Stops the server (when running) and removes every file. Safe to call twice. */
  async destroy(): Promise<void> {
    if (this.running) await this.stop('immediate').catch(() => {})
    fs.rmSync(this.dir, { recursive: true, force: true })
    this.forget()
  }
}

/** The real gemeenten and wijken with their inhabitants, so coverage answers. */
async function loadAreas(handle: DatabaseHandle): Promise<void> {
  const files = ['flevoland_gemeenten_2022.geojson', 'flevoland_wijken_2022.geojson'].map(
    (name) => ({
      collection: JSON.parse(fs.readFileSync(path.join(SHARED_DATA, name), 'utf8')) as unknown,
      year: 2022,
      source: `CBS / Kadaster (${name})`,
    }),
  )
  await importAreas({ db: handle.db, clock: systemClock }, files)
}

/** Migrates, loads the areas (unless told not to), and makes an admin API token. */
export async function prepareDatabase(
  where: { databaseUrl: string } | { dataDir: string },
  options: { areas: boolean } = { areas: true },
): Promise<{ adminToken: string }> {
  const handle = await openDatabase({ ...where, maxConnections: 2 })
  try {
    await migrateToLatest(handle.db)
    if (options.areas) await loadAreas(handle)
    const user = await createUser(
      handle.db,
      { email: 'loadtest@buurtkaart.test', display_name: 'Load test', role: 'admin' },
      { actor: 'loadtest', clock: systemClock },
    )
    const auth = createAuth({
      db: handle.db,
      clock: systemClock,
      tokenMaxDays: DEFAULT_TOKEN_MAX_DAYS,
    })
    const { secret } = await auth.createToken(user, { name: 'load test' }, 'loadtest')
    return { adminToken: secret }
  } finally {
    await handle.close()
  }
}

// ---------------------------------------------------------------------------------------------
// The service as a child process

export class Service {
  /** The last lines of its output, for checks and for a failure report. */
  readonly lines: string[] = []
  errorLines = 0
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  private waiters: { re: RegExp; resolve: () => void }[] = []
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    )
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue
        if (/ ERROR /.test(line)) this.errorLines++
        this.lines.push(line)
        if (this.lines.length > 400) this.lines.shift()
        this.waiters = this.waiters.filter((w) => {
          if (!w.re.test(line)) return true
          w.resolve()
          return false
        })
      }
    }
    child.stdout?.on('data', take)
    child.stderr?.on('data', take)
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Starts `api/server.ts` with `env` (nothing else of ours leaks in) and waits until ready. */
  static async start(env: Record<string, string>): Promise<Service> {
    const port = await freePort()
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith('BUURTKAART_') && k !== 'DATABASE_URL' && k !== 'PORT',
      ),
    )
    // One process (no tsx launcher in between), so SIGTERM and the exit code are the service's own.
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      cwd: projectRoot,
      env: { ...clean, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const service = new Service(child, port)
    const forget = onExit(() => child.kill('SIGKILL'))
    void service.exited.then(forget)
    let isReady = false
    const ready = service.waitFor(/ ready in \d+ ms/, 120_000).then(() => {
      isReady = true
    })
    const early = service.exited.then(({ code }) => {
      if (!isReady)
        throw new Error(`The service exited (${code}) before it was ready:\n${service.tail()}`)
    })
    early.catch(() => {})
    try {
      await Promise.race([ready, early])
    } catch (e) {
      await service.kill()
      throw e
    }
    return service
  }

  waitFor(re: RegExp, timeoutMs: number): Promise<void> {
    if (this.lines.some((l) => re.test(l))) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No ${re} in the service's output within ${timeoutMs} ms`)),
        timeoutMs,
      )
      this.waiters.push({
        re,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
      })
    })
  }

  tail(n = 40): string {
    return this.lines.slice(-n).join('\n')
  }

  /** Kills it when it still runs (cleanup after a failure). */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.kill('SIGKILL')
    await this.exited
  }
}

// ---------------------------------------------------------------------------------------------
// The workload

export type Op = 'list' | 'get' | 'coverage' | 'patch' | 'create' | 'delete'

/** How often each operation is picked (reads 55 %, writes 45 %). */
const MIX: readonly [Op, number][] = [
  ['list', 30],
  ['get', 20],
  ['coverage', 5],
  ['patch', 30],
  ['create', 10],
  ['delete', 5],
]

const GEMEENTEN = ['GM0034', 'GM0995', 'GM0171', 'GM0303', 'GM0050', 'GM0184']
/** Flevoland's land, where new places are put. */
const LAND: readonly [number, number, number, number] = [5.2, 52.3, 5.9, 52.8]

interface Sample {
  readonly op: Op
  readonly method: string
  readonly status: number
  readonly start: number
  readonly end: number
  readonly retryAfter: string | null
  readonly problemCode: string | null
}

interface AckedWrite {
  readonly action: 'update' | 'create' | 'delete'
  readonly assetId: string
  readonly version: number
  readonly token: string
}

/** A write answered with 503: its connection broke, so it may or may not have been saved. */
interface UnknownWrite {
  readonly action: 'update' | 'create' | 'delete'
  readonly assetId: string | null
  readonly token: string
}

export interface LoadOptions {
  readonly clients: number
  readonly seconds: number
  /** Stop PostgreSQL `atS` seconds in, start it again `downS` seconds later; null: no outage. */
  readonly outage: { readonly atS: number; readonly downS: number } | null
  /**
   * Every 503 to a request made while PostgreSQL is down must come faster than this (the
   * fail-fast property); requests already running when it goes down get 5 s.
   */
  readonly fast503Ms: number
  /** Size of the shared pool of places every client edits (conflicts are the point). */
  readonly sharedAssets?: number
  readonly log?: (line: string) => void
}

const now = () => performance.now()
/** No 503 may take longer than the Retry-After it advertises. */
const DATABASE_RETRY_AFTER_MS = 5000
/** Longest any request of the test may take. */
const REQUEST_TIMEOUT_MS = 20_000

function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

function latency(values: number[]) {
  const s = [...values].sort((a, b) => a - b)
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1) ?? NaN }
}

const etagVersion = (etag: string | null): number | null => {
  const m = /"v(\d+)"/.exec(etag ?? '')
  return m ? Number(m[1]) : null
}

class Workload {
  readonly samples: Sample[] = []
  /** When the load began (set by the caller), for messages. */
  t0 = now()
  readonly acked: AckedWrite[] = []
  readonly unknown: UnknownWrite[] = []
  readonly unexpected: string[] = []
  networkErrors = 0
  hung = 0
  conflicts = 0
  retriedAfterConflict = 0
  gaveUp = 0
  constructor(
    readonly base: string,
    readonly token: string,
    readonly pool: readonly string[],
  ) {}

  async call(
    op: Op,
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; json: unknown } | null> {
    const start = now()
    try {
      const res = await fetch(this.base + url, {
        method,
        // A request that hangs is a failure of its own, not a stuck test.
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      const end = now()
      let json: unknown = null
      try {
        json = text ? JSON.parse(text) : null
      } catch {
        json = null
      }
      const problem = res.headers.get('content-type')?.startsWith('application/problem+json')
        ? (((json as { code?: unknown } | null)?.code as string | undefined) ?? 'problem')
        : null
      this.samples.push({
        op,
        method,
        status: res.status,
        start,
        end,
        retryAfter: res.headers.get('retry-after'),
        problemCode: problem,
      })
      return { status: res.status, headers: res.headers, json }
    } catch (e) {
      const hung = e instanceof Error && e.name === 'TimeoutError'
      if (hung) this.hung++
      else this.networkErrors++
      this.unexpected.push(
        `${method} ${url} sent at ${((start - this.t0) / 1000).toFixed(2)} s: ${hung ? `no answer within ${REQUEST_TIMEOUT_MS} ms` : `network error ${String(e)}`}`,
      )
      return null
    }
  }

  /** After a 503 a client waits; Retry-After says 5 s, the test waits less to keep the pressure on. */
  backoff = () => sleep(150 + Math.random() * 150)

  /** GET until it answers (through an outage); null when it cannot. */
  async read(op: Op, id: string) {
    for (let i = 0; i < 200; i++) {
      const r = await this.call(op, 'GET', `/api/assets/${id}`)
      if (!r) return null
      if (r.status === 503) {
        await this.backoff()
        continue
      }
      return r
    }
    return null
  }

  async list() {
    const w = 0.05 + Math.random() * 0.15
    const lon = LAND[0] + Math.random() * (LAND[2] - LAND[0] - w)
    const lat = LAND[1] + Math.random() * (LAND[3] - LAND[1] - w)
    const bbox = [lon, lat, lon + w, lat + w].map((v) => v.toFixed(4)).join(',')
    const r = await this.call('list', 'GET', `/api/assets?bbox=${bbox}&limit=100`)
    this.expect(r, [200], 'list')
  }

  async get() {
    const id = this.pool[Math.floor(Math.random() * this.pool.length)] as string
    const r = await this.call('get', 'GET', `/api/assets/${id}`)
    this.expect(r, [200], 'get')
  }

  async coverage() {
    const area = GEMEENTEN[Math.floor(Math.random() * GEMEENTEN.length)] as string
    const r = await this.call('coverage', 'GET', `/api/coverage?area=${area}&res=8&gaps=5`)
    this.expect(r, [200], 'coverage')
  }

  /** Edits a shared place with If-Match; on 412 reads again and retries (no lost updates). */
  async patch(client: number, seq: number) {
    const id = this.pool[Math.floor(Math.random() * this.pool.length)] as string
    let current = await this.read('patch', id)
    for (let attempt = 0; current && attempt < 50; attempt++) {
      if (current.status !== 200) return this.expect(current, [200], 'patch (read)')
      const token = `lt:${client}:${seq}:${attempt}`
      const version = etagVersion(current.headers.get('etag'))
      const r = await this.call(
        'patch',
        'PATCH',
        `/api/assets/${id}`,
        { properties: { description: token } },
        { 'if-match': `"v${version}"` },
      )
      if (!r) return
      if (r.status === 200) {
        const v = etagVersion(r.headers.get('etag'))
        if (v === null) return this.unexpected.push(`PATCH ${id}: 200 without an ETag`)
        this.acked.push({ action: 'update', assetId: id, version: v, token })
        return
      }
      if (r.status === 412 || r.status === 409) {
        this.conflicts++
        this.retriedAfterConflict++
        current = await this.read('patch', id)
        continue
      }
      if (r.status === 503) {
        this.unknown.push({ action: 'update', assetId: id, token })
        await this.backoff()
        current = await this.read('patch', id)
        continue
      }
      return this.expect(r, [200, 412, 409, 503], 'patch')
    }
    if (current) this.gaveUp++
  }

  readonly mine = new Map<number, string[]>()

  async create(client: number, seq: number) {
    const token = `lt:${client}:${seq}:c`
    const lon = LAND[0] + Math.random() * (LAND[2] - LAND[0])
    const lat = LAND[1] + Math.random() * (LAND[3] - LAND[1])
    const body = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { name: token, kind: 'community_centre', location_precision: 'street' },
    }
    const r = await this.call('create', 'POST', '/api/assets', body)
    if (!r) return
    if (r.status === 201) {
      const id = (r.json as { id?: string } | null)?.id
      if (!id) return this.unexpected.push('POST /api/assets: 201 without an id')
      this.acked.push({ action: 'create', assetId: id, version: 1, token })
      const list = this.mine.get(client) ?? []
      list.push(id)
      this.mine.set(client, list)
      return
    }
    if (r.status === 503) return this.unknown.push({ action: 'create', assetId: null, token })
    this.expect(r, [201, 503], 'create')
  }

  /** Deletes a place this client made earlier, with If-Match. */
  async remove(client: number, seq: number) {
    const list = this.mine.get(client) ?? []
    const id = list.shift()
    if (!id) return this.create(client, seq)
    const current = await this.read('delete', id)
    if (!current) return
    if (current.status !== 200) return this.expect(current, [200], 'delete (read)')
    const version = etagVersion(current.headers.get('etag')) as number
    const r = await this.call('delete', 'DELETE', `/api/assets/${id}`, undefined, {
      'if-match': `"v${version}"`,
    })
    if (!r) return
    if (r.status === 204) {
      this.acked.push({
        action: 'delete',
        assetId: id,
        version: etagVersion(r.headers.get('etag')) ?? version + 1,
        token: `delete:${id}`,
      })
      return
    }
    if (r.status === 503) {
      this.unknown.push({ action: 'delete', assetId: id, token: `delete:${id}` })
      return
    }
    this.expect(r, [204, 503], 'delete')
  }

  expect(r: { status: number } | null, ok: number[], what: string) {
    if (!r) return
    // 503 is checked on its own (only during the outage, fast, with Retry-After).
    if (r.status === 503 || ok.includes(r.status)) return
    this.unexpected.push(`${what}: HTTP ${r.status}`)
  }

  async client(client: number, until: number) {
    const total = MIX.reduce((s, [, w]) => s + w, 0)
    for (let seq = 0; now() < until; seq++) {
      let pick = Math.random() * total
      const op: Op = (MIX.find(([, w]) => (pick -= w) < 0) ?? ['list'])[0]
      const before = this.samples.length
      if (op === 'list') await this.list()
      else if (op === 'get') await this.get()
      else if (op === 'coverage') await this.coverage()
      else if (op === 'patch') await this.patch(client, seq)
      else if (op === 'create') await this.create(client, seq)
      else await this.remove(client, seq)
      const last = this.samples.at(-1)
      if (this.samples.length > before && last?.status === 503) await this.backoff()
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

export interface HistoryCheck {
  readonly assetsChecked: number
  readonly historyRowsDuringTest: number
  readonly ackedWrites: number
  readonly unknownWrites: number
  readonly unknownLanded: number
  readonly problems: string[]
}

/**
 * The database after the load: every acknowledged write is there with its version, every
 * history entry of the test is an acknowledged write (or a 503'd one whose commit went
 * through), versions run 1..n without gaps, and each entry's `before` is the entry before it.
 */
export async function checkHistory(
  handle: DatabaseHandle,
  pool: readonly string[],
  acked: readonly AckedWrite[],
  unknown: readonly UnknownWrite[],
): Promise<HistoryCheck> {
  const problems: string[] = []
  const assets = await sql<{
    id: string
    version: number
    name: string
    description: string | null
    deleted: boolean
  }>`select id, version, name, description, deleted_at is not null as deleted from assets
     where id = any(${pool}::uuid[]) or name like 'lt:%'`.execute(handle.db)
  const ids = assets.rows.map((a) => a.id)
  const history = await sql<{
    asset_id: string
    version: number
    action: string
    after_description: string | null
    after_name: string | null
    before_version: number | null
    before_description: string | null
  }>`select asset_id, version, action, after->>'description' as after_description,
       after->>'name' as after_name, (before->>'version')::int as before_version,
       before->>'description' as before_description
     from asset_history where asset_id = any(${ids}::uuid[]) order by asset_id, version`.execute(
    handle.db,
  )
  const byAsset = new Map<string, (typeof history.rows)[number][]>()
  for (const h of history.rows) {
    const list = byAsset.get(h.asset_id) ?? []
    list.push(h)
    byAsset.set(h.asset_id, list)
  }
  const poolSet = new Set(pool)
  const ackedKeys = new Set(acked.map((a) => `${a.assetId}|${a.version}`))
  const ackedTokens = new Set(acked.map((a) => a.token))
  const unknownTokens = new Set(unknown.map((u) => u.token))
  let duringTest = 0
  let unknownLanded = 0
  for (const asset of assets.rows) {
    const rows = byAsset.get(asset.id) ?? []
    const versions = rows.map((r) => r.version)
    const expected = Array.from({ length: asset.version }, (_, i) => i + 1)
    if (versions.join() !== expected.join())
      problems.push(
        `${asset.id}: history versions ${versions.join(',')} instead of 1..${asset.version}`,
      )
    const last = rows.at(-1)
    if (last && (last.after_description ?? null) !== (asset.description ?? null))
      problems.push(`${asset.id}: the last history entry differs from the asset`)
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as (typeof rows)[number]
      const prev = rows[i - 1]
      if (prev) {
        // The chain: each change starts from the state the previous one left (no lost update).
        if (row.before_version !== prev.version)
          problems.push(`${asset.id} v${row.version}: before is v${row.before_version}`)
        if ((row.before_description ?? null) !== (prev.after_description ?? null))
          problems.push(`${asset.id} v${row.version}: before differs from v${prev.version}`)
      }
      // Pool places existed before the test (their v1); every other entry is the test's.
      if (poolSet.has(asset.id) && row.version === 1) continue
      duringTest++
      const token =
        row.action === 'update'
          ? row.after_description
          : row.action === 'create'
            ? row.after_name
            : row.action === 'delete'
              ? `delete:${asset.id}`
              : null
      const key = `${asset.id}|${row.version}`
      if (ackedKeys.has(key) && token !== null && ackedTokens.has(token)) continue
      if (token !== null && unknownTokens.has(token)) {
        unknownLanded++
        continue
      }
      problems.push(
        `${asset.id} v${row.version} (${row.action} ${token}): in the history, but no client was told it was saved or got 503`,
      )
    }
  }
  // Every acknowledged write is in the history, with the version the client was given.
  const rowsByKey = new Map(history.rows.map((r) => [`${r.asset_id}|${r.version}`, r]))
  for (const a of acked) {
    const row = rowsByKey.get(`${a.assetId}|${a.version}`)
    const token =
      row?.action === 'update'
        ? row.after_description
        : row?.action === 'create'
          ? row.after_name
          : row?.action === 'delete'
            ? `delete:${a.assetId}`
            : null
    if (!row || row.action !== a.action || token !== a.token)
      problems.push(`acknowledged ${a.action} ${a.token} (${a.assetId} v${a.version}) is lost`)
  }
  return {
    assetsChecked: assets.rows.length,
    historyRowsDuringTest: duringTest,
    ackedWrites: acked.length,
    unknownWrites: unknown.length,
    unknownLanded,
    problems,
  }
}

// ---------------------------------------------------------------------------------------------
// Graceful shutdown

export interface ShutdownReport {
  /** The write whose body was still being sent when SIGTERM came: its status (201 expected). */
  readonly inFlightStatus: number | null
  readonly inFlightId: string | null
  /** Reads sent just before SIGTERM: their statuses and whether each body was complete JSON. */
  readonly reads: { status: number; complete: boolean }[]
  readonly newConnectionRefused: boolean
  readonly idleKeepAliveClosed: boolean
  readonly exitCode: number | null
  readonly exitSignal: string | null
  readonly poolClosedLogged: boolean
  readonly shutdownMs: number
  readonly problems: string[]
}

function request(
  port: number,
  options: http.RequestOptions,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * SIGTERM while a write is half sent and reads are running, with an idle keep-alive connection
 * open: the write must still succeed, the reads must complete, a new connection must be refused,
 * the idle connection closed, the pool closed, and the process must exit 0 (the hard timeout
 * exits 1, so 0 also proves it did not hang).
 */
export async function checkGracefulShutdown(
  service: Service,
  token: string,
): Promise<ShutdownReport> {
  const problems: string[] = []
  const port = service.port
  const auth = { authorization: `Bearer ${token}` }

  // An idle keep-alive connection: it must not hold the shutdown open.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const warm = await request(port, { path: '/api/health', agent })
  if (warm.status !== 200) problems.push(`health before shutdown: HTTP ${warm.status}`)
  let idleClosed = false
  const idleSocket = new Promise<void>((resolve) => {
    const sockets = Object.values(agent.freeSockets).flat()
    if (sockets.length === 0) {
      problems.push('no idle keep-alive socket to test with')
      return resolve()
    }
    for (const s of sockets) s?.once('close', () => ((idleClosed = true), resolve()))
  })

  // A write whose body is still on its way when SIGTERM arrives.
  const body = JSON.stringify({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [5.47, 52.51] },
    properties: { name: 'lt:shutdown', kind: 'community_centre', location_precision: 'street' },
  })
  const half = Math.floor(body.length / 2)
  let finishBody: () => void = () => {}
  const write = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/assets',
        headers: {
          ...auth,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        )
      },
    )
    req.on('error', reject)
    req.write(body.slice(0, half))
    finishBody = () => req.end(body.slice(half))
  })
  // Reads that are busy (or queued) when SIGTERM comes.
  const reads = ['/api/export.geojson', '/api/assets?limit=1000', '/api/export.csv'].map((p) =>
    request(port, { path: p, headers: auth }).then(
      (r) => {
        try {
          // JSON parses only when whole; the CSV export ends with a line break.
          if (p.endsWith('.csv')) return { status: r.status, complete: r.text.endsWith('\n') }
          JSON.parse(r.text)
          return { status: r.status, complete: true }
        } catch {
          return { status: r.status, complete: false }
        }
      },
      () => ({ status: 0, complete: false }),
    ),
  )
  await sleep(300) // the server has the write's headers and is waiting for the rest

  const begun = now()
  service.child.kill('SIGTERM')
  await service.waitFor(/SIGTERM: no new connections/, 10_000)

  // Stopped accepting: a new connection is refused while the write is still open.
  let accepted = ''
  const refused = await new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      // Linux can connect a socket to itself when nothing listens on a port of the ephemeral
      // range ("simultaneous open"): that is a refusal by the service, not an acceptance.
      if (socket.localPort === socket.remotePort) return (socket.destroy(), resolve(true))
      socket.setTimeout(2000, () => socket.destroy())
      socket.on('data', (d: Buffer) => (accepted += d.toString('utf8')))
      socket.once('close', () => resolve(false))
      socket.end('GET /api/health HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n')
    })
    socket.once('error', () => resolve(true))
  })
  if (!refused)
    problems.push(
      `a new connection was accepted after SIGTERM (answer: ${JSON.stringify(accepted.slice(0, 80))})`,
    )

  finishBody()
  let inFlightStatus: number | null = null
  let inFlightId: string | null = null
  try {
    const r = await write
    inFlightStatus = r.status
    inFlightId = (JSON.parse(r.text) as { id?: string }).id ?? null
  } catch (e) {
    problems.push(`the in-flight write failed: ${String(e)}`)
  }
  if (inFlightStatus !== 201) problems.push(`the in-flight write answered ${inFlightStatus}`)
  const readResults = await Promise.all(reads)
  readResults.forEach((r, i) => {
    if (r.status !== 200 || !r.complete)
      problems.push(`read ${i} during shutdown: HTTP ${r.status}, complete ${r.complete}`)
  })
  const exit = await Promise.race([
    service.exited,
    sleep(40_000).then(() => ({ code: null, signal: 'timeout' as NodeJS.Signals })),
  ])
  const shutdownMs = now() - begun
  await Promise.race([idleSocket, sleep(1000)])
  agent.destroy()
  if (!idleClosed) problems.push('the idle keep-alive connection was not closed')
  if (exit.code !== 0) problems.push(`exit code ${exit.code} (signal ${exit.signal})`)
  const poolClosedLogged = service.lines.some((l) => /pool closed/i.test(l))
  if (!poolClosedLogged) problems.push('no "pool closed" in the log')
  return {
    inFlightStatus,
    inFlightId,
    reads: readResults,
    newConnectionRefused: refused,
    idleKeepAliveClosed: idleClosed,
    exitCode: exit.code,
    exitSignal: exit.signal,
    poolClosedLogged,
    shutdownMs,
    problems,
  }
}

// ---------------------------------------------------------------------------------------------
// The whole run

export interface LoadReport {
  readonly options: Omit<LoadOptions, 'log'>
  readonly machine: string
  readonly requests: number
  readonly throughput: number
  readonly byStatus: Record<string, number>
  readonly byOp: Record<string, { n: number; p50: number; p99: number; max: number }>
  readonly writes: {
    acked: number
    conflicts: number
    unknown: number
    unknownLanded: number
    gaveUp: number
  }
  readonly outage: {
    readonly stoppedAtS: number
    readonly downS: number
    readonly pgBackAtS: number
    readonly recoveredAtS: number | null
    /** From PostgreSQL accepting connections again to the first answered request after it. */
    readonly recoveryMs: number | null
    readonly n503: number
    readonly latency503: { n: number; p50: number; p99: number; max: number }
    /** The 503s by when their request began, relative to PostgreSQL's state. */
    readonly phases: { phase: string; n: number; p50: number; p99: number; max: number }[]
    /** How long `pg_ctl stop -m fast` took (PostgreSQL refuses new sessions meanwhile). */
    readonly stoppingMs: number
    readonly outageMs: number
  } | null
  readonly history: HistoryCheck
  readonly shutdown: ShutdownReport
  readonly failures: string[]
}

/** Runs everything: cluster, service, load with an outage, checks, shutdown, cleanup. */
export async function runLoadTest(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {})
  log('Creating a private PostgreSQL cluster…')
  const cluster = await PrivateCluster.create()
  let service: Service | undefined
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-loadtest-'))
  try {
    await run('runuser', [
      '-u',
      'postgres',
      '--',
      path.join(pgBinDir() as string, 'createdb'),
      '-h',
      cluster.dir,
      '-p',
      String(cluster.port),
      'buurtkaart',
    ])
    const url = cluster.url('buurtkaart')
    log(`PostgreSQL on port ${cluster.port}; migrating, loading the areas, making a token…`)
    const { adminToken } = await prepareDatabase({ databaseUrl: url })
    service = await Service.start({
      DATABASE_URL: url,
      BUURTKAART_DATA_DIR: path.join(tmp, 'pglite'),
      BUURTKAART_SEED: 'true',
      BUURTKAART_REGION_DATA: 'none',
      BUURTKAART_WRITES_PER_MINUTE: '10000000',
    })
    log(`Service on port ${service.port}`)

    // The shared pool of places every client edits.
    const pool: string[] = []
    const setup = new Workload(service.base, adminToken, [])
    for (let i = 0; i < (options.sharedAssets ?? 20); i++) {
      const r = await setup.call('create', 'POST', '/api/assets', {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [5.3 + i * 0.02, 52.4 + (i % 5) * 0.05] },
        properties: { name: `pool ${i}`, kind: 'community_centre', location_precision: 'street' },
      })
      const id = (r?.json as { id?: string } | null)?.id
      if (r?.status !== 201 || !id) throw new Error(`Could not make the pool: HTTP ${r?.status}`)
      pool.push(id)
    }
    // Warm the analysis once, so the first coverage requests do not all build it at once.
    await setup.call('coverage', 'GET', '/api/coverage?area=GM0995&res=8&gaps=5')

    const work = new Workload(service.base, adminToken, pool)
    const t0 = now()
    work.t0 = t0
    const until = t0 + options.seconds * 1000
    let stoppedAt = NaN
    let stopDoneAt = NaN
    let startAt = NaN
    let pgBackAt = NaN
    const outage = options.outage
      ? (async () => {
          const o = options.outage as { atS: number; downS: number }
          await sleep(o.atS * 1000)
          log(`t=${o.atS}s: stopping PostgreSQL (fast shutdown)`)
          stoppedAt = now()
          await cluster.stop('fast')
          stopDoneAt = now()
          await sleep(o.downS * 1000)
          log('starting PostgreSQL again')
          startAt = now()
          await cluster.start()
          pgBackAt = now()
          log(
            `PostgreSQL accepts connections again (down ${((pgBackAt - stoppedAt) / 1000).toFixed(1)} s)`,
          )
        })()
      : Promise.resolve()
    log(`${options.clients} clients for ${options.seconds} s…`)
    await Promise.all([
      ...Array.from({ length: options.clients }, (_, i) => work.client(i, until)),
      outage,
    ])
    const elapsed = (now() - t0) / 1000
    log(`${work.samples.length} requests in ${elapsed.toFixed(1)} s; checking…`)

    const failures: string[] = []
    const byStatus: Record<string, number> = {}
    for (const s of work.samples) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1
    const byOp: LoadReport['byOp'] = {}
    for (const [op] of MIX) {
      const ok = work.samples.filter((s) => s.op === op && s.status < 500)
      if (ok.length > 0) byOp[op] = latency(ok.map((s) => s.end - s.start))
    }

    // 5xx: only 503, only during the outage, fast, with Retry-After and a problem document.
    const fivexx = work.samples.filter((s) => s.status >= 500)
    const other5xx = fivexx.filter((s) => s.status !== 503)
    if (other5xx.length > 0)
      failures.push(
        `${other5xx.length} 5xx answers other than 503 (${[...new Set(other5xx.map((s) => s.status))].join(', ')})`,
      )
    const all503 = fivexx.filter((s) => s.status === 503)
    let outageReport: LoadReport['outage'] = null
    if (options.outage) {
      const after = work.samples
        .filter((s) => s.start >= pgBackAt && s.status < 500)
        .sort((a, b) => a.end - b.end)
      const recoveredAt = after[0]?.end ?? null
      const windowEnd = recoveredAt ?? Infinity
      const outside = all503.filter((s) => s.end < stoppedAt || s.start > windowEnd)
      if (outside.length > 0) failures.push(`${outside.length} answers of 503 outside the outage`)
      if (recoveredAt === null)
        failures.push('the service did not recover after PostgreSQL came back')
      else if (recoveredAt - pgBackAt > 10_000)
        failures.push(`recovery took ${((recoveredAt - pgBackAt) / 1000).toFixed(1)} s`)
      if (all503.length === 0) failures.push('no request met the outage (no 503 at all)')
      const phaseOf = (t: number) =>
        t < stoppedAt
          ? 'in flight when it went down'
          : t < stopDoneAt
            ? 'begun while it shut down'
            : t < startAt
              ? 'begun while it was down'
              : t < pgBackAt
                ? 'begun while it started'
                : 'begun after it was back'
      const phases = new Map<string, number[]>()
      for (const x of all503) {
        const list = phases.get(phaseOf(x.start)) ?? []
        list.push(x.end - x.start)
        phases.set(phaseOf(x.start), list)
      }
      outageReport = {
        phases: [...phases].map(([phase, values]) => ({ phase, ...latency(values) })),
        stoppingMs: stopDoneAt - stoppedAt,
        stoppedAtS: (stoppedAt - t0) / 1000,
        downS: options.outage.downS,
        pgBackAtS: (pgBackAt - t0) / 1000,
        recoveredAtS: recoveredAt === null ? null : (recoveredAt - t0) / 1000,
        recoveryMs: recoveredAt === null ? null : recoveredAt - pgBackAt,
        n503: all503.length,
        latency503: latency(all503.map((s) => s.end - s.start)),
        outageMs: pgBackAt - stoppedAt,
      }
    } else if (all503.length > 0) {
      failures.push(`${all503.length} answers of 503 without an outage`)
    }
    // Fast: requests that arrive while PostgreSQL is down (or starting) are refused at once.
    // Requests that were running, or came while it shut down, wait for their own query to be
    // cut off; they must still answer within the Retry-After they are given.
    const slow503 = all503.filter(
      (s) => s.start >= stopDoneAt && s.end - s.start > options.fast503Ms,
    )
    const late503 = all503.filter((s) => s.end - s.start > DATABASE_RETRY_AFTER_MS)
    const examples = (list: Sample[]) =>
      list
        .slice(0, 8)
        .map(
          (x) =>
            `${x.method} ${x.op} at ${((x.start - t0) / 1000).toFixed(2)} s: ${(x.end - x.start).toFixed(0)} ms`,
        )
        .join(', ')
    if (slow503.length > 0)
      failures.push(
        `${slow503.length} answers of 503 to requests made while PostgreSQL was down slower than ${options.fast503Ms} ms (${examples(slow503)})`,
      )
    if (late503.length > 0)
      failures.push(
        `${late503.length} answers of 503 slower than ${DATABASE_RETRY_AFTER_MS} ms (${examples(late503)})`,
      )
    const noRetryAfter = all503.filter((s) => !s.retryAfter || !(Number(s.retryAfter) > 0))
    if (noRetryAfter.length > 0)
      failures.push(`${noRetryAfter.length} answers of 503 without Retry-After`)
    const notProblem = all503.filter((s) => s.problemCode !== 'database_unavailable')
    if (notProblem.length > 0)
      failures.push(
        `${notProblem.length} answers of 503 not a database_unavailable problem document (${[...new Set(notProblem.map((s) => s.problemCode))].join(', ')})`,
      )
    if (work.hung > 0)
      failures.push(`${work.hung} requests got no answer within ${REQUEST_TIMEOUT_MS} ms`)
    if (work.networkErrors > 0)
      failures.push(`${work.networkErrors} requests failed on the network`)
    if (work.unexpected.length > 0)
      failures.push(
        `${work.unexpected.length} unexpected answers, e.g. ${[...new Set(work.unexpected)].slice(0, 5).join('; ')}`,
      )
    if (work.acked.length === 0) failures.push('no write was acknowledged')

    // The database's end state, read directly.
    const handle = await openDatabase({ databaseUrl: url, maxConnections: 2 })
    let history: HistoryCheck
    try {
      if (work.hung > 0) {
        // What the service's sessions are doing, to tell a lock wait from a lost query.
        const activity = await sql<Record<string, unknown>>`select pid, state, wait_event_type,
            wait_event, now() - xact_start as in_transaction, left(query, 100) as query
          from pg_stat_activity where datname = 'buurtkaart' and pid <> pg_backend_pid()`.execute(
          handle.db,
        )
        log(`Sessions with requests hanging:\n${JSON.stringify(activity.rows, null, 1)}`)
      }
      history = await checkHistory(handle, pool, work.acked, work.unknown)
    } finally {
      await handle.close()
    }
    if (history.problems.length > 0)
      failures.push(
        `history: ${history.problems.length} problems, e.g. ${history.problems.slice(0, 5).join('; ')}`,
      )
    if (history.historyRowsDuringTest !== history.ackedWrites + history.unknownLanded)
      failures.push(
        `history has ${history.historyRowsDuringTest} entries of the test, acknowledged ${history.ackedWrites} + ${history.unknownLanded} saved despite a 503`,
      )

    log('SIGTERM during in-flight requests…')
    const shutdown = await checkGracefulShutdown(service, adminToken)
    failures.push(...shutdown.problems.map((p) => `shutdown: ${p}`))
    if (shutdown.inFlightId) {
      const after = await openDatabase({ databaseUrl: url, maxConnections: 1 })
      try {
        const row = await sql<{ n: number }>`select count(*)::int as n from asset_history
          where asset_id = ${shutdown.inFlightId}::uuid and action = 'create'`.execute(after.db)
        if (row.rows[0]?.n !== 1)
          failures.push('shutdown: the write acknowledged during shutdown is not in the database')
      } finally {
        await after.close()
      }
    }
    if (service.errorLines > 0 && failures.length > 0)
      log(`The service logged ${service.errorLines} errors; its last lines:\n${service.tail()}`)

    return {
      options: {
        clients: options.clients,
        seconds: options.seconds,
        outage: options.outage,
        fast503Ms: options.fast503Ms,
        sharedAssets: pool.length,
      },
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL ${path.basename(path.dirname(pgBinDir() as string))}`,
      requests: work.samples.length,
      throughput: work.samples.length / elapsed,
      byStatus,
      byOp,
      writes: {
        acked: work.acked.length,
        conflicts: work.conflicts,
        unknown: work.unknown.length,
        unknownLanded: history.unknownLanded,
        gaveUp: work.gaveUp,
      },
      outage: outageReport,
      history,
      shutdown,
      failures,
    }
  } catch (e) {
    if (service) log(`Failed; the service's last lines:\n${service.tail()}`)
    throw e
  } finally {
    await service?.kill()
    await cluster.destroy()
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

/** The report as Markdown (printed, and written to docs/loadtest-results.md). */
export function formatReport(r: LoadReport): string {
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : '–')
  const lines = [
    `Machine: ${r.machine}. ${r.options.clients} clients for ${r.options.seconds} s against the real service (\`tsx api/server.ts\`) on a private PostgreSQL cluster; ${r.options.sharedAssets} shared places edited by everyone (If-Match), plus creates and deletes.`,
    '',
    `Requests: ${r.requests} (${r.throughput.toFixed(0)}/s). Status codes: ${Object.entries(
      r.byStatus,
    )
      .map(([s, n]) => `${s} × ${n}`)
      .join(', ')}.`,
    '',
    '| operation | answered | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(r.byOp).map(
      ([op, l]) => `| ${op} | ${l.n} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} |`,
    ),
    '',
    `Writes: ${r.writes.acked} acknowledged, ${r.writes.conflicts} conflicts (412/409, re-read and retried), ${r.writes.unknown} answered 503 of which ${r.writes.unknownLanded} had been saved (the connection broke after the commit; the client finds it on reload), ${r.writes.gaveUp} given up after 50 tries.`,
    `History: ${r.history.assetsChecked} places checked, ${r.history.historyRowsDuringTest} entries written during the test = ${r.history.ackedWrites} acknowledged + ${r.history.unknownLanded} saved despite a 503; versions contiguous and each entry's "before" is the previous "after": ${r.history.problems.length === 0 ? 'yes' : `no (${r.history.problems.length} problems)`}.`,
  ]
  if (r.outage) {
    const o = r.outage
    lines.push(
      '',
      `Outage: PostgreSQL stopped (fast) at ${o.stoppedAtS.toFixed(1)} s, accepting again at ${o.pgBackAtS.toFixed(1)} s (${(o.outageMs / 1000).toFixed(1)} s down). ${o.n503} answers of 503 (problem+json \`database_unavailable\`, Retry-After), latency p50 ${ms(o.latency503.p50)}, p99 ${ms(o.latency503.p99)}, max ${ms(o.latency503.max)}. First answered request after PostgreSQL was back: ${o.recoveryMs === null ? 'never' : ms(o.recoveryMs)} later (no restart of the service).`,
      '',
      `The 503s by when their request began (stopping took ${ms(o.stoppingMs)}):`,
      '',
      '| request began | 503s | p50 | p99 | max |',
      '|---|---:|---:|---:|---:|',
      ...o.phases.map(
        (p) => `| ${p.phase} | ${p.n} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} |`,
      ),
    )
  }
  const s = r.shutdown
  lines.push(
    '',
    `SIGTERM with a write half sent, three reads running and an idle keep-alive connection: write ${s.inFlightStatus}, reads ${s.reads.map((x) => `${x.status}${x.complete ? '' : ' (incomplete)'}`).join(', ')}, new connection ${s.newConnectionRefused ? 'refused' : 'ACCEPTED'}, idle connection ${s.idleKeepAliveClosed ? 'closed' : 'LEFT OPEN'}, "pool closed" ${s.poolClosedLogged ? 'logged' : 'MISSING'}, exit code ${s.exitCode} after ${ms(s.shutdownMs)}.`,
    '',
    r.failures.length === 0
      ? 'Result: all checks passed.'
      : `Result: ${r.failures.length} checks FAILED:\n${r.failures.map((f) => `- ${f}`).join('\n')}`,
  )
  return lines.join('\n')
}
