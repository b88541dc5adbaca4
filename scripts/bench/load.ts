/**
 * Load and tile benchmarks (issue 8), part of `npm run bench`; alone: `npm run bench:load` (prints
 * the section, leaves BENCHMARKS.md alone) or `npm run bench -- --only load`.
 *
 * Data (scripts/bench/load-data.ts): 100,000 assets generated from a fixed seed inside the real
 * Flevoland boundary, with the real CBS gemeenten, wijken and PC4 areas and their population
 * surface, loaded into a dedicated PostgreSQL database (`buurtkaart_bench_load` on
 * BENCH_DATABASE_URL / TEST_DATABASE_URL / the local server, recreated every run) and into a fresh
 * PGlite data directory.
 *
 * Every HTTP measurement runs the server as its own process as `npm start` does (`node
 * scripts/start.mjs`: the built server, built first when its sources changed), with PORT,
 * DATABASE_URL or BUURTKAART_DATA_DIR,
 * BUURTKAART_SEED=false, LOG_LEVEL=error and no write throttling) and drives it with autocannon
 * from this process: closed loop, a fixed number of connections, a warm-up, then a measured run.
 * Throughput is completed responses per second; latencies are the per-request response times
 * autocannon reports, as p50/p95/p99. The raw-SQL tile baseline runs the same closed loop with the
 * same concurrency through node-postgres in this process, and is measured the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { bboxPolygon, booleanIntersects } from '@turf/turf'
import autocannon from 'autocannon'
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely'
import pg from 'pg'
import { projectRoot } from '../../api/config.js'
import { openDatabase, type DatabaseHandle } from '../../api/db/create-db.js'
import type { DB } from '../../api/db/database.js'
import type { Bbox } from '../../api/domain/geo.js'
import { assetShapes, type TileAddress } from '../../api/domain/tiles.js'
import { postgresAssetTileSql } from '../../api/repositories/tiles.js'
import { TILE_LIMITS } from '../../api/services/tiles.js'
import {
  ASSET_COUNT,
  ASSET_SEED,
  generateAssets,
  loadBenchData,
  readShared,
  type GeneratedAssets,
} from './load-data.js'
import { benchDatabaseUrl, fmt, rng, stats } from './network.js'

// --- Settings ----------------------------------------------------------------------------------

/** Seconds per measured run (BENCH_LOAD_SECONDS), after a warm-up of a fifth of that (≥ 2 s). */
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10)
const WARMUP_SECONDS = Math.max(2, Math.round(SECONDS / 5))
/** Concurrent clients for the API workload (the issue's figure). */
const API_CONNECTIONS = 50
/** Concurrent clients for tiles: a map view loads about this many. */
const TILE_CONNECTIONS = 10
const BENCH_DB = 'buurtkaart_bench_load'

const int = (n: number) => Math.round(n).toLocaleString('en-GB')
/** Requests per second: two decimals below 10, one below 100. */
const rate = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n))

// --- Measuring ---------------------------------------------------------------------------------

export interface Measured {
  /** Completed responses (or queries) per second. */
  readonly rps: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly count: number
  readonly seconds: number
  /** Responses by status code; for SQL runs, 200 = answered. */
  readonly statuses: Record<string, number>
  /** Connection errors and timeouts. */
  readonly errors: number
  /** Mean response body size in bytes. */
  readonly meanBytes: number
}

function summarise(
  latencies: number[],
  statuses: Map<number, number>,
  seconds: number,
  errors: number,
  bytes: number,
): Measured {
  const s = stats(latencies.length > 0 ? latencies : [NaN])
  return {
    rps: latencies.length / seconds,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    count: latencies.length,
    seconds,
    statuses: Object.fromEntries([...statuses].map(([k, v]) => [String(k), v])),
    errors,
    meanBytes: latencies.length > 0 ? bytes / latencies.length : 0,
  }
}

export interface HttpRun {
  readonly base: string
  /** The path (with query) of the next request: called once per request. */
  readonly next?: () => string
  /**
   * Instead of `next`: a fixed list of requests, each connection going round it. autocannon
   * builds them once, so the load generator does no work per request.
   */
  readonly requests?: readonly { path: string; headers?: Record<string, string> }[]
  readonly headers?: Record<string, string>
  readonly connections: number
  /** The status every response must have; others are counted and reported. */
  readonly expect: number
  /**
   * A cheap path of the same server: after a run, asked twice in a row, so what the load
   * generator left in flight is done before the next run starts.
   */
  readonly settlePath?: string
}

/** One autocannon run of `seconds`, every response's time recorded. */
async function cannon(run: HttpRun, seconds: number): Promise<Measured> {
  const latencies: number[] = []
  const statuses = new Map<number, number>()
  let bytes = 0
  const next = run.next ?? (() => '/')
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: run.base,
        connections: run.connections,
        duration: seconds,
        timeout: 120,
        headers: run.headers ?? {},
        requests: run.requests
          ? run.requests.map((r) => ({
              method: 'GET' as const,
              path: r.path,
              headers: { ...run.headers, ...r.headers },
            }))
          : [{ method: 'GET', setupRequest: (req) => ({ ...req, path: next() }) }],
      },
      (err, res) => (err ? reject(err as Error) : resolve(res)),
    )
    instance.on('response', (_client, status, resBytes, responseTime) => {
      latencies.push(responseTime)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      bytes += resBytes
    })
  })
  return summarise(latencies, statuses, result.duration, result.errors, bytes)
}

/** Warm-up, then the measured run. */
export interface MeasureOptions {
  /** Seconds of the measured run (default SECONDS). */
  readonly seconds?: number
  /** Waits until the server has finished what the load generator left in flight. */
  readonly settle?: () => Promise<void>
  /** Around the measured run (after the warm-up has settled). */
  readonly before?: () => Promise<void>
  readonly after?: () => Promise<void>
}

async function measureHttp(label: string, run: HttpRun, o: MeasureOptions = {}): Promise<Measured> {
  const settle = async () => {
    await o.settle?.()
    if (run.settlePath)
      for (let k = 0; k < 2; k++) await (await fetch(run.base + run.settlePath)).text()
  }
  await cannon(run, WARMUP_SECONDS)
  await settle()
  await o.before?.()
  const m = await cannon(run, o.seconds ?? SECONDS)
  await settle()
  await o.after?.()
  const unexpected = Object.entries(m.statuses).filter(([s]) => Number(s) !== run.expect)
  console.log(
    `  ${label}: ${rate(m.rps)} req/s, p50 ${fmt(m.p50)} ms, p95 ${fmt(m.p95)} ms, p99 ${fmt(m.p99)} ms` +
      (unexpected.length > 0 || m.errors > 0
        ? ` — UNEXPECTED: ${JSON.stringify(Object.fromEntries(unexpected))}, ${m.errors} errors`
        : ''),
  )
  return m
}

/**
 * The same closed loop without HTTP: `connections` callers each await `task()` and start the
 * next at once, for `seconds`; as with autocannon, only calls answered within the run count
 * (the last ones are awaited, so nothing is left running).
 */
async function closedLoop(
  task: () => Promise<number>,
  connections: number,
  seconds: number,
): Promise<Measured> {
  const latencies: number[] = []
  let bytes = 0
  let errors = 0
  const started = performance.now()
  const end = started + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now()
        try {
          const b = await task()
          const done = performance.now()
          if (done <= end) {
            bytes += b
            latencies.push(done - t)
          }
        } catch {
          errors++
        }
      }
    }),
  )
  return summarise(latencies, new Map([[200, latencies.length]]), seconds, errors, bytes)
}

async function measureLoop(
  label: string,
  task: () => Promise<number>,
  connections: number,
  seconds = SECONDS,
): Promise<Measured> {
  await closedLoop(task, connections, WARMUP_SECONDS)
  const m = await closedLoop(task, connections, seconds)
  console.log(
    `  ${label}: ${rate(m.rps)} req/s, p50 ${fmt(m.p50)} ms, p95 ${fmt(m.p95)} ms, p99 ${fmt(m.p99)} ms` +
      (m.errors > 0 ? ` — ${m.errors} ERRORS` : ''),
  )
  return m
}

/**
 * Rounds of a measurement and its baseline run back to back (the order alternating), so a
 * slow stretch of this shared machine hits both; the round with the median ratio is reported,
 * with every round's ratio beside it.
 */
const ROUNDS = 3

interface Paired {
  readonly subject: Measured
  readonly baseline: Measured
  /** subject ÷ baseline throughput of the reported (median) round. */
  readonly ratio: number
  /** The ratio of every round, in the order run. */
  readonly ratios: readonly number[]
}

async function pairedRounds(
  subject: (round: number) => Promise<Measured>,
  baseline: (round: number) => Promise<Measured>,
): Promise<Paired> {
  const rounds: Paired[] = []
  for (let r = 0; r < ROUNDS; r++) {
    let a: Measured
    let b: Measured
    if (r % 2 === 0) {
      a = await subject(r)
      b = await baseline(r)
    } else {
      b = await baseline(r)
      a = await subject(r)
    }
    rounds.push({ subject: a, baseline: b, ratio: a.rps / b.rps, ratios: [] })
  }
  const median = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor(ROUNDS / 2)] as Paired
  return { ...median, ratios: rounds.map((r) => r.ratio) }
}

// --- Processes ---------------------------------------------------------------------------------

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

export interface Child {
  readonly base: string
  stop(): Promise<void>
}

/**
 * Starts `<script>` with `env` (plain Node for a .mjs/.js file such as scripts/start.mjs, through
 * tsx for TypeScript) and waits until `readyPath` answers 200.
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<Child> {
  const port = await freePort()
  const args = /\.m?js$/.test(script) ? [script] : ['--import', 'tsx', script]
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      BUURTKAART_SEED: 'false',
      BUURTKAART_REGION_DATA: 'none',
      LOG_LEVEL: 'error',
      BUURTKAART_WRITES_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`)
    try {
      const res = await fetch(base + readyPath)
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${script} did not become ready on ${base}${readyPath}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    base,
    async stop() {
      if (child.exitCode !== null) return
      // Let requests the load generator abandoned at the end of its run finish first.
      await new Promise((r) => setTimeout(r, 2000))
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(killer)
    },
  }
}

// --- Workloads ---------------------------------------------------------------------------------

const PROVINCE = readShared('flevoland_provincie_2022.geojson').features[0]

/** bbox queries: a phone-sized map view (400 × 800 px) at zoom 13, 14 or 15 around an asset. */
function bboxPaths(assets: GeneratedAssets, count: number): string[] {
  const random = rng(ASSET_SEED + 1)
  return Array.from({ length: count }, () => {
    const i = Math.floor(random() * assets.id.length)
    const z = 13 + Math.floor(random() * 3)
    const lon = assets.lon[i] as number
    const lat = assets.lat[i] as number
    const w = (360 * (400 / 256)) / 2 ** z
    const h = w * 2 * Math.cos((lat * Math.PI) / 180)
    const box = [lon - w / 2, lat - h / 2, lon + w / 2, lat + h / 2].map((v) => v.toFixed(5))
    return `/api/assets?bbox=${box.join(',')}`
  })
}

/** Coverage requests: every gemeente, wijk and the province at H3 res 8–10, three thresholds. */
function coveragePaths(areaCodes: string[]): string[] {
  const random = rng(ASSET_SEED + 2)
  const out: string[] = []
  for (const area of ['province', ...areaCodes])
    for (const res of [8, 9, 10])
      for (const threshold of [400, 800, 1200])
        out.push(`/api/coverage?area=${area}&res=${res}&threshold=${threshold}`)
  // A fixed shuffle, so consecutive requests ask different things.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as string, out[i] as string]
  }
  return out
}

function cycle(paths: readonly string[]): () => string {
  let i = 0
  return () => paths[i++ % paths.length] as string
}

/** The XYZ tiles at zoom `z` whose square touches the real province boundary. */
export function provinceTiles(z: number): [number, number, number][] {
  if (!PROVINCE) throw new Error('no province boundary')
  const n = 2 ** z
  const tx = (lon: number) => Math.floor(((lon + 180) / 360) * n)
  const ty = (lat: number) => {
    const r = (lat * Math.PI) / 180
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
  }
  const lon = (x: number) => (x / n) * 360 - 180
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI
  const out: [number, number, number][] = []
  for (let x = tx(5.1); x <= tx(6.0); x++)
    for (let y = ty(52.9); y <= ty(52.25); y++)
      if (
        booleanIntersects(bboxPolygon([lon(x), lat(y + 1), lon(x + 1), lat(y)]), PROVINCE as never)
      )
        out.push([z, x, y])
  return out
}

interface ApiResults {
  readonly bbox: Measured
  readonly coverage: Measured
  readonly startMs: number
}

/** bbox and coverage under 50 clients against a running service; coverage warmed first. */
async function apiWorkload(base: string, areaCodes: string[], assets: GeneratedAssets) {
  const bbox = bboxPaths(assets, 5000)
  const coverage = coveragePaths(areaCodes)
  // Warm the analysis (surface, places and reach per resolution) before timing.
  for (const res of [8, 9, 10]) {
    const r = await fetch(`${base}/api/coverage?area=province&res=${res}`)
    if (r.status !== 200) throw new Error(`coverage warm-up: ${r.status} ${await r.text()}`)
  }
  const first = await fetch(base + bbox[0])
  const body = (await first.json()) as { features?: unknown[] }
  if (first.status !== 200 || !body.features?.length)
    throw new Error(`bbox query: ${first.status} with ${body.features?.length ?? 0} features`)
  return {
    bbox: await measureHttp('bbox', {
      base,
      next: cycle(bbox),
      connections: API_CONNECTIONS,
      expect: 200,
      settlePath: '/api/health',
    }),
    coverage: await measureHttp('coverage', {
      base,
      next: cycle(coverage),
      connections: API_CONNECTIONS,
      expect: 200,
      settlePath: '/api/health',
    }),
  }
}

// --- Tiles -------------------------------------------------------------------------------------

const TILE_ZOOMS = [10, 12, 14] as const
/** The service's default pool size (api/db/create-db.ts), also the raw-SQL baseline's pool. */
const POOL = 10

/**
 * A filter bbox around the whole region (so the tile is the full tile), different in the seventh
 * decimal on every request: every request is its own tile-cache key, so the service renders it.
 */
function bustingBbox(i: number): string {
  return `4.9,52.1,${(6.2 + i / 1e7).toFixed(7)},53`
}

/**
 * Endless (tile, distinct bbox) pairs over the province's tiles at `z`, in a fixed shuffle;
 * another `series` gives other bboxes (other cache keys) for the same tiles.
 */
function tileStream(z: number, series = 0): () => { t: TileAddress; bbox: string } {
  const random = rng(ASSET_SEED + 10 + z)
  const tiles = provinceTiles(z)
  for (let i = tiles.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[tiles[i], tiles[j]] = [
      tiles[j] as [number, number, number],
      tiles[i] as [number, number, number],
    ]
  }
  let n = 0
  return () => {
    const [tz, x, y] = tiles[n % tiles.length] as [number, number, number]
    return { t: { z: tz, x, y }, bbox: bustingBbox(z * 10_000_000 + series * 5_000_000 + n++) }
  }
}

const tilePath = (t: TileAddress, query: string) =>
  `/tiles/assets/${t.z}/${t.x}/${t.y}.mvt?${query}`

/** Compiles the service's statements to PostgreSQL's text and parameters, without a connection. */
const compiler = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

/** The service's PostgreSQL asset tile, made by its own exported SQL: finest shape that fits. */
async function rawTile(client: pg.Pool, t: TileAddress, bbox: string): Promise<Buffer> {
  const filter = { bbox: bbox.split(',').map(Number) as unknown as Bbox }
  for (const shape of assetShapes(t.z)) {
    const q = postgresAssetTileSql(t, filter, shape).compile(compiler)
    ownQueries++
    const { rows } = await client.query(q.sql, [...q.parameters])
    const row = rows[0] as { mvt: Buffer; features: number } | undefined
    if (!row) throw new Error('tile query returned no row')
    if (row.mvt.byteLength <= TILE_LIMITS.maxBytes && row.features <= TILE_LIMITS.maxFeatures)
      return row.mvt
  }
  throw new Error(`tile ${t.z}/${t.x}/${t.y} fits no shape`)
}

/** Waits until no other session runs a statement on the bench database. */
async function idle(client: pg.Pool): Promise<void> {
  for (;;) {
    ownQueries++
    const {
      rows: [row],
    } = await client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`)
    if ((row as { n: number }).n === 0) return
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Statements this process ran on the bench database (each its own transaction). */
let ownQueries = 0

/**
 * Transactions others (the service) committed on the bench database so far, by PostgreSQL's own
 * statistics: all transactions minus this process's own statements. A session reports its
 * statistics when idle within PGSTAT_IDLE_INTERVAL (10 s), hence the wait.
 */
async function commits(client: pg.Pool): Promise<number> {
  await new Promise((r) => setTimeout(r, 10_500))
  const own = ownQueries++
  const {
    rows: [row],
  } = await client.query<{ n: number }>(`select xact_commit::float8 as n from pg_stat_database
    where datname = current_database()`)
  return Number((row as { n: number }).n) - own
}

interface TileResults {
  readonly counts: Record<number, number>
  readonly uncached: Record<
    number,
    { paired: Paired; withoutVersion: Measured; queriesPerRequest: number }
  >
  /** Cached tile hits (gzip, as a browser asks). */
  readonly hit: Measured
  /** 304 revalidations. */
  readonly notModified: Measured
  readonly hitPlain: Measured
  readonly hitNoVersion: Measured
  readonly cachedTiles: number
  readonly hitQueries: number
  readonly version: string
}

async function tileWorkload(base: string, url: string): Promise<TileResults> {
  const client = new pg.Pool({ connectionString: url, max: POOL })
  try {
    // The web app asks for tiles with the layer's data version from the TileJSON (`v`).
    const tilejson = (await (await fetch(`${base}/tiles/assets.json`)).json()) as {
      tiles: string[]
    }
    const template = tilejson.tiles[0] ?? ''
    const version = new URL(template.replace(/[{}]/g, ''), base).searchParams.get('v') ?? ''
    if (!version) throw new Error(`no version in the TileJSON: ${template}`)
    const counts: Record<number, number> = {}
    const uncached: TileResults['uncached'] = {}
    for (const z of TILE_ZOOMS) {
      counts[z] = provinceTiles(z).length
      // The baseline must run exactly the service's query: the same tiles, byte for byte.
      const check = tileStream(z)
      for (let k = 0; k < 3; k++) {
        const { t, bbox } = check()
        const res = await fetch(base + tilePath(t, `v=${version}&bbox=${bbox}`), {
          headers: { 'accept-encoding': 'identity' },
        })
        if (res.status !== 200) throw new Error(`tile ${z}: ${res.status} ${await res.text()}`)
        const served = Buffer.from(await res.arrayBuffer())
        const raw = await rawTile(client, t, bbox)
        if (!served.equals(raw))
          throw new Error(`tile ${z}/${t.x}/${t.y}: the service and the raw SQL differ`)
      }
      const stream = tileStream(z)
      const rawStream = tileStream(z)
      let before = 0
      let after = 0
      let firstCount = 0
      const paired = await pairedRounds(
        async (round) => {
          const m = await measureHttp(
            `tiles z${z}, service (round ${round + 1})`,
            {
              base,
              next: () => {
                const { t, bbox } = stream()
                return tilePath(t, `v=${version}&bbox=${bbox}`)
              },
              connections: TILE_CONNECTIONS,
              expect: 200,
            },
            {
              settle: () => idle(client),
              // The database's own count of statements, around the first round only.
              ...(round === 0
                ? {
                    before: async () => void (before = await commits(client)),
                    after: async () => void (after = await commits(client)),
                  }
                : {}),
            },
          )
          if (round === 0) firstCount = m.count
          return m
        },
        (round) =>
          measureLoop(
            `tiles z${z}, raw SQL (round ${round + 1})`,
            async () => {
              const { t, bbox } = rawStream()
              return (await rawTile(client, t, bbox)).byteLength
            },
            TILE_CONNECTIONS,
          ),
      )
      // A client that does not name the version: the service reads it first (one more statement).
      const plainStream = tileStream(z, 1)
      const withoutVersion = await measureHttp(
        `tiles z${z}, service without v`,
        {
          base,
          next: () => {
            const { t, bbox } = plainStream()
            return tilePath(t, `bbox=${bbox}`)
          },
          connections: TILE_CONNECTIONS,
          expect: 200,
        },
        { settle: () => idle(client) },
      )
      // Requests the load generator left unanswered at the end still reached the database.
      uncached[z] = {
        paired,
        withoutVersion,
        queriesPerRequest: (after - before) / (firstCount + TILE_CONNECTIONS),
      }
    }

    // Cached: the tiles of z12 and z14 as the web app asks for them (the TileJSON's URLs).
    const set = [...provinceTiles(12), ...provinceTiles(14)].map(([z, x, y]) => ({ z, x, y }))
    const etags = new Map<string, string>()
    let at = 0
    await Promise.all(
      Array.from({ length: TILE_CONNECTIONS }, async () => {
        while (at < set.length) {
          const t = set[at++] as TileAddress
          const path = tilePath(t, `v=${version}`)
          const res = await fetch(base + path)
          await res.arrayBuffer()
          const etag = res.headers.get('etag')
          if (res.status !== 200 || !etag) throw new Error(`warming ${path}: ${res.status}`)
          etags.set(path, etag)
        }
      }),
    )
    const paths = [...etags.keys()]
    // As a browser asks (the ETags were taken by fetch(), which asks for gzip too).
    const gzip = { 'accept-encoding': 'gzip' }
    let before = 0
    let hitQueries = 0
    const hit = await measureHttp(
      'cached tiles (200, TileJSON URL with v)',
      {
        base,
        requests: paths.map((path) => ({ path })),
        headers: gzip,
        connections: TILE_CONNECTIONS,
        expect: 200,
        settlePath: '/api/health',
      },
      {
        before: async () => void (before = await commits(client)),
        after: async () => void (hitQueries = (await commits(client)) - before),
      },
    )
    const notModified = await measureHttp('cached tiles (304, If-None-Match)', {
      base,
      requests: paths.map((path) => ({
        path,
        headers: { 'if-none-match': etags.get(path) ?? '' },
      })),
      headers: gzip,
      connections: TILE_CONNECTIONS,
      expect: 304,
      settlePath: '/api/health',
    })
    const hitPlain = await measureHttp('cached tiles (200, with v, no Accept-Encoding)', {
      base,
      requests: paths.map((path) => ({ path })),
      connections: TILE_CONNECTIONS,
      expect: 200,
      settlePath: '/api/health',
    })
    const hitNoVersion = await measureHttp('cached tiles (200, no v: one version query)', {
      base,
      requests: paths.map((p) => ({ path: p.replace(/\?v=.*$/, '') })),
      headers: gzip,
      connections: TILE_CONNECTIONS,
      expect: 200,
      settlePath: '/api/health',
    })
    return {
      counts,
      uncached,
      hit,
      hitPlain,
      hitNoVersion,
      notModified,
      cachedTiles: paths.length,
      hitQueries,
      version,
    }
  } finally {
    await client.end()
  }
}

// --- Databases ---------------------------------------------------------------------------------

async function preparePostgres(assets: GeneratedAssets) {
  const adminUrl = benchDatabaseUrl()
  const admin = await openDatabase({ databaseUrl: adminUrl, maxConnections: 1 })
  await sql`drop database if exists ${sql.id(BENCH_DB)} with (force)`.execute(admin.db)
  await sql`create database ${sql.id(BENCH_DB)}`.execute(admin.db)
  const u = new URL(adminUrl)
  u.pathname = `/${BENCH_DB}`
  const url = u.toString()
  const handle = await openDatabase({ databaseUrl: url, maxConnections: 4 })
  const t = performance.now()
  const times = await loadBenchData(handle, assets, ASSET_COUNT)
  const totalMs = performance.now() - t
  const v = await serverVersions(handle)
  await handle.close()
  return {
    url,
    times,
    totalMs,
    version: `PostgreSQL ${v?.pg ?? '?'} with PostGIS ${v?.postgis ?? '?'}`,
    async drop() {
      await sql`drop database if exists ${sql.id(BENCH_DB)} with (force)`.execute(admin.db)
      await admin.close()
    },
  }
}

/** The database's PostgreSQL and PostGIS versions, for the machine line. */
async function serverVersions(handle: DatabaseHandle) {
  const { rows } = await sql<{
    pg: string
    postgis: string
  }>`select current_setting('server_version') as pg, postgis_lib_version() as postgis`.execute(
    handle.db,
  )
  return rows[0]
}

async function preparePglite(assets: GeneratedAssets) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-bench-pglite-'))
  const t = performance.now()
  const handle: DatabaseHandle = await openDatabase({ dataDir: dir })
  const openMs = performance.now() - t
  const times = await loadBenchData(handle, assets, 10_000)
  const totalMs = performance.now() - t
  const v = await serverVersions(handle)
  await handle.close()
  return {
    dir,
    times,
    openMs,
    totalMs,
    version: `PGlite (PostgreSQL ${v?.pg ?? '?'}) with PostGIS ${v?.postgis ?? '?'}`,
    drop: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

// --- The section -------------------------------------------------------------------------------

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const row = (what: string, m: Measured, extra: string[] = []) =>
  `| ${what} | ${rate(m.rps)} | ${fmt(m.p50)} ms | ${fmt(m.p95)} ms | ${fmt(m.p99)} ms | ${int(m.count)} |${extra.map((cell) => ` ${cell} |`).join('')}`
const verdict = (ok: boolean) => (ok ? 'met' : '**NOT met**')
const ratios = (p: Paired) => p.ratios.map((r) => `${r.toFixed(2)}×`).join(', ')
/** PostgreSQL ÷ PGlite throughput; goal at most 3×. No answers on either side is not a result. */
const liteVerdict = (r: number) => (Number.isFinite(r) && r > 0 ? verdict(r <= 3) : '**no result**')
const odd = (m: Measured, expect: number) => {
  // 503 with Retry-After is the analysis queue turning work away when full (issue 16), by design.
  const shed = m.statuses[503] ?? 0
  const other = Object.entries(m.statuses).filter(([s]) => Number(s) !== expect && s !== '503')
  const notes = [
    ...(shed ? [`${shed} turned away with 503 + Retry-After: the analysis queue was full`] : []),
    ...(other.length || m.errors
      ? [
          `unexpected: ${other.map(([s, n]) => `${n} × ${s}`).join(', ')}${m.errors ? `, ${m.errors} connection errors` : ''}`,
        ]
      : []),
  ]
  return notes.length ? ` (${notes.join('; ')})` : ''
}

/** Runs the whole section and returns its Markdown. */
export async function benchLoad(): Promise<string> {
  const loadBefore = os.loadavg()[0] ?? 0
  console.log(`Load and tiles: generating ${int(ASSET_COUNT)} assets (seed ${ASSET_SEED})…`)
  const t = performance.now()
  const assets = generateAssets()
  const generateMs = performance.now() - t
  const areaCodes = readShared('flevoland_gemeenten_2022.geojson')
    .features.map((f) => String(f.properties.code))
    .concat(
      readShared('flevoland_wijken_2022.geojson').features.map((f) => String(f.properties.code)),
    )

  console.log('Loading them into PostgreSQL…')
  const pg = await preparePostgres(assets)
  console.log(`  ${s1(pg.totalMs)}`)
  console.log('Loading them into PGlite…')
  const lite = await preparePglite(assets)
  console.log(`  ${s1(lite.totalMs)}`)

  try {
    console.log('Service on PostgreSQL…')
    let started = performance.now()
    const pgServer = await startChild('scripts/start.mjs', { DATABASE_URL: pg.url }, '/api/health')
    const pgStartMs = performance.now() - started
    let pgApi: Omit<ApiResults, 'startMs'>
    let tiles: TileResults
    try {
      pgApi = await apiWorkload(pgServer.base, areaCodes, assets)
      tiles = await tileWorkload(pgServer.base, pg.url)
    } finally {
      await pgServer.stop()
    }

    console.log('Service on PGlite…')
    started = performance.now()
    const liteServer = await startChild(
      'scripts/start.mjs',
      { BUURTKAART_DATA_DIR: lite.dir },
      '/api/health',
    )
    const liteStartMs = performance.now() - started
    let liteApi: Omit<ApiResults, 'startMs'>
    try {
      liteApi = await apiWorkload(liteServer.base, areaCodes, assets)
    } finally {
      await liteServer.stop()
    }

    const bboxRatio = pgApi.bbox.rps / liteApi.bbox.rps
    const coverageRatio = pgApi.coverage.rps / liteApi.coverage.rps
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
    const acVersion = (
      JSON.parse(
        fs.readFileSync(path.join(projectRoot, 'node_modules/autocannon/package.json'), 'utf8'),
      ) as { version: string }
    ).version
    const head = '| what | req/s | p50 | p95 | p99 | requests |'
    return `## Load and tiles (issue 8)

Written by \`scripts/bench/load.ts\` (\`npm run bench\`, or alone: \`npm run bench:load\`). Machine:
${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}; ${pg.version};
${lite.version}. Load average (1 min) when the section started: ${loadBefore.toFixed(2)}.

**Data.** ${int(ASSET_COUNT)} assets generated from a fixed seed (${ASSET_SEED}) inside the real Flevoland
province boundary (70 % inside a real CBS wijk drawn by inhabitants, 30 % uniform over the
province; every kind of the taxonomy; 90 % active), plus the real CBS gemeenten, wijken and PC4
areas with the population surface spread from the wijken. Generated in ${s1(generateMs)}. Loaded into a fresh
database \`${BENCH_DB}\` in ${s1(pg.totalMs)} (migrations + areas ${s1(pg.times.areasMs)}; assets in
${pg.times.batches} \`INSERT … SELECT … FROM jsonb_to_recordset(…)\` ${s1(pg.times.assetsMs)}; area codes by the service's own spatial join
${s1(pg.times.areaCodesMs)}; one \`import\` history entry per asset by \`INSERT … SELECT\` ${s1(pg.times.historyMs)}, checked
equal to the register on a sample), and into a fresh PGlite data directory in ${s1(lite.totalMs)} (opening ${s1(lite.openMs)};
areas ${s1(lite.times.areasMs)}; assets in ${lite.times.batches} batches of 10,000 ${s1(lite.times.assetsMs)}; area codes ${s1(lite.times.areaCodesMs)}; history ${s1(lite.times.historyMs)}).

**Method.** The service runs as its own process, as \`npm start\` runs it (the built server, LOG_LEVEL=error, seed off,
write throttling off), started afresh per backend (ready after ${s1(pgStartMs)} on PostgreSQL, ${s1(liteStartMs)} on
PGlite), and autocannon ${acVersion} drives it from the benchmark process: a closed loop over keep-alive
connections, ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured. req/s = completed responses ÷ run time; p50/p95/p99
from every response's time. Both share this machine's ${os.availableParallelism()} cores with the load generator, as
they would on one small server behind a proxy. autocannon is used as published: it decodes every response
body as a UTF-8 string, and for binary tiles that costs the load generator CPU the server then lacks (measured
earlier with \`--cpu-prof\`: \`Buffer.toString\` 14.5 % of the benchmark process while the server was 25 % busy), so
the tile figures understate the service somewhat.

### API under ${API_CONNECTIONS} concurrent clients

- **bbox**: \`GET /api/assets?bbox=…\` (the first page, 100 assets ordered by name) for 5,000 phone-sized
  views (400 × 800 px at zoom 13–15) centred on generated assets.
- **coverage**: \`GET /api/coverage?area=…&res=…&threshold=…\` over the province, the 6 gemeenten and
  ${areaCodes.length - 6} wijken at H3 resolution 8, 9 and 10 and thresholds 400/800/1200 m (straight line), with the
  analysis warmed first (the distances per resolution are cached per data version; each request
  still checks the data version and computes the coverage, bands and top-50 gaps of its area).

${head} goal | result |
|---|---:|---:|---:|---:|---:|---|---|
${row(`bbox, PostgreSQL${odd(pgApi.bbox, 200)}`, pgApi.bbox, ['', ''])}
${row(`bbox, PGlite${odd(liteApi.bbox, 200)}`, liteApi.bbox, ['', ''])}
| **bbox: PostgreSQL ÷ PGlite throughput** | **${bboxRatio.toFixed(2)}×** | | | | | ≤ 3× | ${liteVerdict(bboxRatio)} |
${row(`coverage, PostgreSQL${odd(pgApi.coverage, 200)}`, pgApi.coverage, ['', ''])}
${row(`coverage, PGlite${odd(liteApi.coverage, 200)}`, liteApi.coverage, ['', ''])}
| **coverage: PostgreSQL ÷ PGlite throughput** | **${coverageRatio.toFixed(2)}×** | | | | | ≤ 3× | ${liteVerdict(coverageRatio)} |

### Vector tiles on PostgreSQL, ${TILE_CONNECTIONS} concurrent clients

\`GET /tiles/assets/{z}/{x}/{y}.mvt\` over every tile that touches the province (z10: ${tiles.counts[10]}, z12: ${tiles.counts[12]},
z14: ${tiles.counts[14]} tiles), in a fixed shuffle. **Uncached**: every request carries its own filter \`bbox\` (the
whole region, differing in the seventh decimal), so every request is a new key of the service's
tile cache and a real render. The service is asked as the web app asks, with the layer's data
version from the TileJSON (\`v=${tiles.version}\`), so a miss is one statement that reads the tile
and its version together; PostgreSQL's own statistics confirm it: per request the database
committed ${TILE_ZOOMS.map((z) => tiles.uncached[z]?.queriesPerRequest.toFixed(2)).join(' / ')} transactions (z10 / z12 / z14; where few requests ran the
service's other reads during the run weigh in). A client that leaves out \`v\` costs one
data-version read more per tile (the line below the table). **Raw SQL**: the service's exported statement (\`postgresAssetTileSql\`, \`ST_AsMVT\` in
one query, finest shape that fits the caps, as the service chooses) for the same tiles and filter,
through node-postgres (a pool of ${POOL} like the service's) from ${TILE_CONNECTIONS} callers in a closed loop in the
benchmark process, measured the same way; before each zoom 3 tiles were checked byte-identical
between the two.

Each zoom ran ${ROUNDS} rounds of the service and the raw SQL back to back (order alternating, ${SECONDS} s each
after a ${WARMUP_SECONDS} s warm-up): the row is the round with the median ratio, the ratio of every round beside it.

| zoom | service req/s | p50 | p95 | p99 | raw SQL req/s | p50 | p95 | p99 | mean tile | service ÷ raw | rounds | goal | result |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|
${TILE_ZOOMS.map((z) => {
  const u = tiles.uncached[z]
  if (!u) return ''
  const { subject: sv, baseline: raw, ratio } = u.paired
  return `| z${z}${odd(sv, 200)} | ${rate(sv.rps)} | ${fmt(sv.p50)} ms | ${fmt(sv.p95)} ms | ${fmt(sv.p99)} ms | ${rate(raw.rps)} | ${fmt(raw.p50)} ms | ${fmt(raw.p95)} ms | ${fmt(raw.p99)} ms | ${(sv.meanBytes / 1024).toFixed(1)} KB | **${ratio.toFixed(2)}×** | ${ratios(u.paired)} | ≥ 0.65× | ${verdict(ratio >= 0.65)} |`
}).join('\n')}

Without \`v\` (the data version read first, then the tile; one run after the rounds): ${TILE_ZOOMS.map(
      (z) => {
        const u = tiles.uncached[z]
        if (!u) return ''
        return `z${z} ${rate(u.withoutVersion.rps)} req/s (p99 ${fmt(u.withoutVersion.p99)} ms, ${(u.withoutVersion.rps / u.paired.baseline.rps).toFixed(2)}× the reported raw round${odd(u.withoutVersion, 200)})`
      },
    ).join('; ')}.

**Cached** (the ${int(tiles.cachedTiles)} tiles of z12 and z14, warmed once), one run each: a hit in the service's
in-process tile cache as the web app asks for it (the TileJSON's URL with \`v=${tiles.version}\`, through the whole
app: routing, security headers, access rules, access log; the database committed ${int(tiles.hitQueries)} transactions during the
run), and revalidation with \`If-None-Match\` (304). Every run asks with \`Accept-Encoding: gzip\` as a browser does
(a mean ${(tiles.hit.meanBytes / 1024).toFixed(1)} KB per cached tile response, headers included), and autocannon builds every request once
(the list of tile URLs). Then the same hits without gzip (${(tiles.hitPlain.meanBytes / 1024).toFixed(1)} KB per response), and without \`v\`
(one data-version read per request, then the in-process tile cache). In production a CDN or reverse proxy in
front keeps repeated public tiles (they are \`public, max-age=31536000, immutable\` with their \`v\`).

${head}
|---|---:|---:|---:|---:|---:|
${row(`cached tile, 200 (URL with v)${odd(tiles.hit, 200)}`, tiles.hit)}
${row(`cached tile, 304 (If-None-Match)${odd(tiles.notModified, 304)}`, tiles.notModified)}
${row(`cached tile, 200 with v, no Accept-Encoding (plain bytes)${odd(tiles.hitPlain, 200)}`, tiles.hitPlain)}
${row(`cached tile, 200 without v${odd(tiles.hitNoVersion, 200)}`, tiles.hitNoVersion)}
`
  } finally {
    await pg.drop()
    lite.drop()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await benchLoad())
}
