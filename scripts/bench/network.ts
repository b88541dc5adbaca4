/**
 * The network part of `npm run bench` (issue 4: walk and bike distances over the network).
 *
 * - Real extracts (shared/data/osm, plus `BUURTKAART_BENCH_OSM` when set): `importOsm` into a
 *   fresh scratch database, graph load per profile (query + prepare), and one multi-source
 *   Dijkstra from the imported meeting places; pgRouting on the very rows the import stored.
 * - A SYNTHETIC graph of province size (about 150,000 nodes, 400,000 directed edges, 1,000
 *   places) generated from a fixed seed over Flevoland's extent: one multi-source Dijkstra per
 *   mode against pgRouting on the same graph (the multi-source `pgr_drivingDistance` the issue
 *   names, and one single-source call from a virtual node joined to every place), with a check
 *   of the distance at every node and, where they differ, a third opinion (`pgr_dijkstraCost`).
 * - A SYNTHETIC graph of national size (about 4 million nodes): one multi-source Dijkstra per mode.
 *
 * `benchNetwork()` returns the BENCHMARKS.md section; scripts/bench/index.ts writes the file. Run this
 * file alone (`npx tsx scripts/bench/network.ts`) to print the section without touching the file.
 */
import { mib, typedArrayBytes } from './memory.js'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { cellToLatLng, latLngToCell } from 'h3-js'
import { sql } from 'kysely'
import { projectRoot } from '../../api/config.js'
import { assetSchemas } from '../../api/domain/asset.js'
import { lonLatToRd } from '../../api/domain/geo.js'
import {
  dijkstra,
  prepareGraph,
  snap,
  type Csr,
  type Graph,
  type GraphInput,
  type Seed,
} from '../../api/domain/network/graph.js'
import type { Profile } from '../../api/domain/network/profiles.js'
import { networkReach } from '../../api/domain/network/reach.js'
import type { Points } from '../../api/domain/reach.js'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../api/db/create-db.js'
import type { Database } from '../../api/db/database.js'
import { listPlaceRecords } from '../../api/repositories/analysis.js'
import { loadStoredGraph, networkMeta } from '../../api/repositories/network.js'
import { systemClock } from '../../api/domain/clock.js'
import { graphFromStored } from '../../api/services/network.js'
import { importOsm } from '../../api/services/osm-import.js'

// --- Shared helpers (also used by scripts/bench/index.ts) --------------------------------------------

export const SHARED =
  process.env.BUURTKAART_SHARED_DATA ?? path.join(projectRoot, '..', 'shared', 'data')

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Stats {
  readonly min: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
  readonly n: number
}

export function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number
  return {
    min: s[0] as number,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: s[s.length - 1] as number,
    n: s.length,
  }
}

export const fmt = (ms: number) =>
  ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)

export function time<T>(fn: () => T): [T, number] {
  const t = performance.now()
  const value = fn()
  return [value, performance.now() - t]
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now()
  const value = await fn()
  return [value, performance.now() - t]
}

/** The PostgreSQL server the baselines use: BENCH_DATABASE_URL, TEST_DATABASE_URL, or local. */
export function benchDatabaseUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://root@127.0.0.1:5432/postgres'
  )
}

const int = (n: number) => Math.round(n).toLocaleString('en-GB')
const ms = (v: number) => `${fmt(v)} ms`
const seconds = (v: number) => `${(v / 1000).toFixed(1)} s`

// --- Scratch databases -------------------------------------------------------------------------

interface Scratch {
  readonly db: Database
  readonly backend: 'PostgreSQL' | 'PGlite'
  drop(): Promise<void>
}

/** A new, empty database on the bench server (dropped afterwards), or PGlite in memory. */
async function scratchDatabase(): Promise<Scratch> {
  const url = benchDatabaseUrl()
  let admin: DatabaseHandle | undefined
  try {
    admin = await openDatabase({ databaseUrl: url, maxConnections: 1 })
    const name = `buurtkaart_bench_${randomBytes(5).toString('hex')}`
    await sql`create database ${sql.id(name)}`.execute(admin.db)
    const u = new URL(url)
    u.pathname = `/${name}`
    const handle = await openDatabase({ databaseUrl: u.toString(), maxConnections: 2 })
    const server = admin
    return {
      db: handle.db,
      backend: 'PostgreSQL',
      drop: async () => {
        await handle.close()
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(server.db)
        await server.close()
      },
    }
  } catch (e) {
    await admin?.close()
    console.log(`No PostgreSQL (${String(e).slice(0, 80)}…): using embedded PGlite.`)
    const handle = await openDatabase({ dataDir: 'memory://' })
    return { db: handle.db, backend: 'PGlite', drop: () => handle.close() }
  }
}

/** pgRouting's version, after creating the extension; undefined where it is not installed. */
async function withPgrouting(scratch: Scratch): Promise<string | undefined> {
  if (scratch.backend !== 'PostgreSQL') return undefined
  try {
    await sql`create extension if not exists pgrouting cascade`.execute(scratch.db)
    return (await sql<{ v: string }>`select pgr_version() as v`.execute(scratch.db)).rows[0]?.v
  } catch (e) {
    console.log(`No pgRouting (${String(e).slice(0, 80)}…): no baseline.`)
    return undefined
  }
}

// --- Our Dijkstra and pgRouting's, compared ----------------------------------------------------

/** Warm runs of one multi-source Dijkstra (resetting `dist` included); the last distances. */
function timeDijkstra(
  adj: Csr,
  nodeCount: number,
  seeds: readonly Seed[],
  runs: number,
  warm = Math.min(3, runs),
) {
  const dist = new Float64Array(nodeCount)
  const times: number[] = []
  for (let i = 0; i < warm + runs; i++) {
    const t = performance.now()
    dist.fill(Infinity)
    dijkstra(adj, seeds, dist)
    if (i >= warm) times.push(performance.now() - t)
  }
  let reached = 0
  for (let v = 0; v < nodeCount; v++) if (dist[v] !== Infinity) reached++
  return { ms: stats(times), dist, reached }
}

interface Agreement {
  /** Nodes with a finite distance on either side. */
  readonly compared: number
  /** Nodes whose distances differ by more than 1e-6 relative, or reached on one side only. */
  readonly differ: number
  /** Of those, where pgRouting's distance is the larger. */
  readonly pgrLarger: number
  /** Nodes pgRouting reaches. */
  readonly reached: number
  /** Largest relative difference over the nodes reached on both sides. */
  readonly maxRelative: number
  /** The first few differing nodes (1-based ids) with both distances. */
  readonly examples: readonly { node: number; ours: number; pgr: number }[]
}

/** Compares our per-node distances (0-based) with pgRouting rows (1-based node ids). */
function agreement(ours: Float64Array, rows: readonly { node: number; agg: number }[]): Agreement {
  const theirs = new Float64Array(ours.length).fill(Infinity)
  for (const r of rows) {
    const v = r.node - 1
    if (v >= 0 && v < ours.length) theirs[v] = Math.min(theirs[v] as number, r.agg)
  }
  let compared = 0
  let reached = 0
  let differ = 0
  let pgrLarger = 0
  let maxRelative = 0
  const examples: { node: number; ours: number; pgr: number }[] = []
  for (let v = 0; v < ours.length; v++) {
    const a = ours[v] as number
    const b = theirs[v] as number
    if (a === Infinity && b === Infinity) continue
    compared++
    if (b !== Infinity) reached++
    const rel =
      a === Infinity || b === Infinity ? Infinity : Math.abs(a - b) / Math.max(1, Math.abs(a))
    if (rel > 1e-6) {
      differ++
      if (b > a) pgrLarger++
      if (examples.length < 3) examples.push({ node: v + 1, ours: a, pgr: b })
    }
    if (rel !== Infinity) maxRelative = Math.max(maxRelative, rel)
  }
  return { compared, reached, differ, pgrLarger, maxRelative, examples }
}

interface Arbiter {
  readonly checked: number
  /** Nodes where the independent one-to-many `pgr_dijkstraCost` gives our distance. */
  readonly confirmOurs: number
}

interface PgrBaseline {
  /** Multi-source `pgr_drivingDistance(…, ARRAY[starts], …, equicost := true)`. */
  readonly multi: Stats
  /** The same distances from one single-source `pgr_drivingDistance` from a virtual node. */
  readonly superSource: Stats
  /** Distances *to* the starts (what the service needs) against our Dijkstra over `graph.in`. */
  readonly to: Agreement
  /** Distances *from* the starts against our Dijkstra over `graph.out`. */
  readonly from: Agreement
  /** The virtual-source distances (to the starts) against ours. */
  readonly superTo: Agreement
  /** For the first differing nodes of `to`: who is right, by `pgr_dijkstraCost`. */
  readonly arbiter: Arbiter
}

/**
 * pgRouting on the edges that `edgesSql` selects (id, source, target, cost, reverse_cost; nodes
 * 1-based, negative cost = not allowed). Distances *to* the starts come from the edges with
 * source and target swapped. Timed as `count(*)` on the server, so no rows travel to the client.
 * Where the multi-source answer differs from ours, a one-to-many `pgr_dijkstraCost` from the node
 * over the original edges (a plain Dijkstra, a third opinion) says which is right.
 */
async function pgrouting(
  db: Database,
  edgesSql: string,
  starts: readonly number[],
  ours: { to: Float64Array; from: Float64Array },
  runs: number,
): Promise<PgrBaseline> {
  const ids = starts.map((s) => s + 1)
  const swapped = `select id, target as source, source as target, cost, reverse_cost from (${edgesSql}) e`
  const virtual = ours.to.length + 1
  const withVirtual = `${swapped} union all
    select 2000000000 - k::int, ${virtual}, s, 0::float8, -1::float8
    from unnest('{${ids.join(',')}}'::int[]) with ordinality as t(s, k)`
  const multi = (edges: string) =>
    sql`pgr_drivingDistance(${edges}, ${ids}::bigint[], 1e15::float8, directed := true, equicost := true)`
  const single = sql`pgr_drivingDistance(${withVirtual}, ${virtual}::bigint, 1e15::float8, directed := true)`
  const rows = async (from: ReturnType<typeof sql>) =>
    (
      await sql<{
        node: string | number
        agg: number
      }>`select node, agg_cost as agg from ${from} d`.execute(db)
    ).rows.map((r) => ({ node: Number(r.node), agg: Number(r.agg) }))
  const timed = async (from: ReturnType<typeof sql>) => {
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const t = performance.now()
      await sql`select count(*) from ${from} d`.execute(db)
      times.push(performance.now() - t)
    }
    return stats(times)
  }
  // The untimed runs that fetch every row also warm the cache for the timed ones.
  const to = agreement(ours.to, await rows(multi(swapped)))
  const from = agreement(ours.from, await rows(multi(edgesSql)))
  const superTo = agreement(
    ours.to,
    (await rows(single)).filter((r) => r.node !== virtual),
  )
  let confirmOurs = 0
  for (const ex of to.examples) {
    const d = (
      await sql<{
        d: number | null
      }>`select min(agg_cost) as d from pgr_dijkstraCost(${edgesSql}, ${ex.node}::bigint, ${ids}::bigint[], directed := true)`.execute(
        db,
      )
    ).rows[0]?.d
    const third = d === null || d === undefined ? Infinity : Number(d)
    if (Math.abs(third - ex.ours) <= 1e-6 * Math.max(1, ex.ours) || third === ex.ours) confirmOurs++
  }
  return {
    multi: await timed(multi(swapped)),
    superSource: await timed(single),
    to,
    from,
    superTo,
    arbiter: { checked: to.examples.length, confirmOurs },
  }
}

const metres = (v: number) => (v === Infinity ? 'unreached' : `${v.toFixed(1)} m`)

function agreeText(a: Agreement): string {
  const e = a.examples[0]
  if (a.differ === 0 || !e) {
    return `all ${int(a.compared)} nodes agree (largest relative difference ${a.maxRelative.toExponential(1)})`
  }
  return `**${int(a.differ)} of ${int(a.compared)} nodes differ** (pgRouting larger at ${int(a.pgrLarger)}; e.g. node ${e.node}: ours ${metres(e.ours)}, pgRouting ${metres(e.pgr)})`
}

const arbiterText = (b: Arbiter) =>
  b.checked === 0
    ? ''
    : `A one-to-many \`pgr_dijkstraCost\` from the first ${b.checked} differing nodes to the places gives our distance at ${b.confirmOurs} of ${b.checked}.`

// --- Synthetic graphs --------------------------------------------------------------------------

export interface SyntheticSpec {
  readonly seed: number
  readonly minX: number
  readonly minY: number
  readonly cols: number
  readonly rows: number
  /** Grid spacing (m). */
  readonly spacing: number
}

export interface Synthetic {
  readonly walk: GraphInput
  readonly bike: GraphInput
  readonly lakes: number
  readonly channels: number
}

/**
 * A road-like graph from a fixed seed: a jittered grid in RD New over a rectangle, without the
 * nodes in round lakes and in sinuous channels (crossed by a bridge every 3 km); of the grid
 * links between land nodes 65 % are kept plus 5 % of diagonals. Each edge bends at its middle so
 * its length is the straight line × a random factor between 1 and 1.25; its cost is that length
 * (metres). Walk: every edge both ways. Bike: 12 % of edges are footpaths (left out), 8 % of the
 * rest one-way. Node ids are dense (land nodes in row order).
 */
export function synthetic(spec: SyntheticSpec): Synthetic {
  const { cols, rows, spacing, minX, minY } = spec
  const random = rng(spec.seed)
  const width = (cols - 1) * spacing
  const height = (rows - 1) * spacing
  const lakeCount = Math.max(1, Math.round((width * height) / 450e6))
  const lakes: [number, number, number][] = []
  for (let k = 0; k < lakeCount; k++) {
    lakes.push([minX + random() * width, minY + random() * height, 1500 + random() * 3500])
  }
  const channels: { y: number; amplitude: number; wave: number; phase: number }[] = []
  for (let y = minY + 15000 + random() * 10000; y < minY + height - 5000; y += 30000) {
    channels.push({
      y,
      amplitude: 1000 + random() * 3000,
      wave: 8000 + random() * 12000,
      phase: random() * 2 * Math.PI,
    })
  }
  const water = (x: number, y: number) => {
    for (const [cx, cy, r] of lakes) {
      if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) return true
    }
    const bridge = Math.abs(((x - minX) % 3000) - 1500) < spacing / 2
    if (bridge) return false
    for (const c of channels) {
      if (Math.abs(y - c.y - c.amplitude * Math.sin((x - minX) / c.wave + c.phase)) < 160)
        return true
    }
    return false
  }

  const idOf = new Int32Array(cols * rows).fill(-1)
  const px = new Float64Array(cols * rows)
  const py = new Float64Array(cols * rows)
  let nodeCount = 0
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const x = minX + i * spacing + (random() - 0.5) * 0.6 * spacing
      const y = minY + j * spacing + (random() - 0.5) * 0.6 * spacing
      const g = j * cols + i
      px[g] = x
      py[g] = y
      if (!water(minX + i * spacing, minY + j * spacing)) idOf[g] = nodeCount++
    }
  }
  const nodeX = new Float64Array(nodeCount)
  const nodeY = new Float64Array(nodeCount)
  for (let g = 0; g < cols * rows; g++) {
    const v = idOf[g] as number
    if (v < 0) continue
    nodeX[v] = px[g] as number
    nodeY[v] = py[g] as number
  }

  const maxEdges = nodeCount * 3
  const source = new Int32Array(maxEdges)
  const target = new Int32Array(maxEdges)
  const cost = new Float64Array(maxEdges)
  const x = new Float64Array(3 * maxEdges)
  const y = new Float64Array(3 * maxEdges)
  /** 0: both ways for bike, 1: forward only, 2: backward only, 3: footpath (not for bike). */
  const bikeKind = new Uint8Array(maxEdges)
  let m = 0
  const link = (a: number, b: number) => {
    const x0 = nodeX[a] as number
    const y0 = nodeY[a] as number
    const x1 = nodeX[b] as number
    const y1 = nodeY[b] as number
    const length = Math.hypot(x1 - x0, y1 - y0)
    const factor = 1 + 0.25 * random() ** 2
    const h = (length / 2) * Math.sqrt(factor * factor - 1) * (random() < 0.5 ? -1 : 1)
    const mx = (x0 + x1) / 2 - ((y1 - y0) / length) * h
    const my = (y0 + y1) / 2 + ((x1 - x0) / length) * h
    source[m] = a
    target[m] = b
    x[3 * m] = x0
    y[3 * m] = y0
    x[3 * m + 1] = mx
    y[3 * m + 1] = my
    x[3 * m + 2] = x1
    y[3 * m + 2] = y1
    // The cost is the length along the geometry, as graphFromStored computes it.
    cost[m] = Math.hypot(mx - x0, my - y0) + Math.hypot(x1 - mx, y1 - my)
    const r = random()
    bikeKind[m] = r < 0.12 ? 3 : r < 0.12 + 0.88 * 0.04 ? 1 : r < 0.12 + 0.88 * 0.08 ? 2 : 0
    m++
  }
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const a = idOf[j * cols + i] as number
      if (a < 0) continue
      const right = i + 1 < cols ? (idOf[j * cols + i + 1] as number) : -1
      const up = j + 1 < rows ? (idOf[(j + 1) * cols + i] as number) : -1
      const diagonal = i + 1 < cols && j + 1 < rows ? (idOf[(j + 1) * cols + i + 1] as number) : -1
      if (right >= 0 && random() < 0.65) link(a, right)
      if (up >= 0 && random() < 0.65) link(a, up)
      if (diagonal >= 0 && random() < 0.05) link(a, diagonal)
    }
  }

  const profile = (
    keep: (e: number) => boolean,
    forward: (e: number) => boolean,
    back: (e: number) => boolean,
  ): GraphInput => {
    let n = 0
    for (let e = 0; e < m; e++) if (keep(e)) n++
    const p = {
      source: new Int32Array(n),
      target: new Int32Array(n),
      cost: new Float64Array(n),
      reverseCost: new Float64Array(n),
      geomStart: new Int32Array(n + 1),
      x: new Float64Array(3 * n),
      y: new Float64Array(3 * n),
    }
    let k = 0
    for (let e = 0; e < m; e++) {
      if (!keep(e)) continue
      p.source[k] = source[e] as number
      p.target[k] = target[e] as number
      p.cost[k] = forward(e) ? (cost[e] as number) : Infinity
      p.reverseCost[k] = back(e) ? (cost[e] as number) : Infinity
      p.geomStart[k] = 3 * k
      p.x.set(x.subarray(3 * e, 3 * e + 3), 3 * k)
      p.y.set(y.subarray(3 * e, 3 * e + 3), 3 * k)
      k++
    }
    p.geomStart[n] = 3 * n
    return { nodeCount, nodeX, nodeY, snappable: new Uint8Array(n).fill(1), ...p }
  }
  return {
    walk: profile(
      () => true,
      () => true,
      () => true,
    ),
    bike: profile(
      (e) => bikeKind[e] !== 3,
      (e) => bikeKind[e] !== 2,
      (e) => bikeKind[e] !== 1,
    ),
    lakes: lakeCount,
    channels: channels.length,
  }
}

/** `count` distinct random nodes that have an edge in every profile (bike ⊂ walk). */
export function pickPlaces(g: GraphInput, count: number, seed: number): number[] {
  const used = new Uint8Array(g.nodeCount)
  for (let e = 0; e < g.source.length; e++) {
    used[g.source[e] as number] = 1
    used[g.target[e] as number] = 1
  }
  const random = rng(seed)
  const picked = new Set<number>()
  while (picked.size < count) {
    const v = Math.floor(random() * g.nodeCount)
    if (used[v]) picked.add(v)
  }
  return [...picked]
}

const directedEdges = (g: Graph) => g.out.to.length

// --- Benchmarks --------------------------------------------------------------------------------

export const SEED = 20261122
const PROFILES: readonly Profile[] = ['walk', 'bike']
const SNAP_LIMIT_M = 500
export const PROVINCE: SyntheticSpec = {
  seed: SEED,
  minX: 140_000,
  minY: 480_000,
  cols: 409,
  rows: 409,
  spacing: 147,
}
export const NATIONAL: SyntheticSpec = {
  seed: SEED + 1,
  minX: 0,
  minY: 300_000,
  cols: 2108,
  rows: 2108,
  spacing: 147,
}

interface ProvinceMode {
  readonly profile: Profile
  readonly nodes: number
  readonly directed: number
  readonly reached: number
  readonly ours: Stats
  readonly reach?: { ms: Stats; origins: number }
  readonly pgr?: PgrBaseline
}

async function syntheticProvince(origins: Points | undefined, log: (s: string) => void) {
  log('SYNTHETIC province-size graph…')
  const [g, generateMs] = time(() => synthetic(PROVINCE))
  const placeNodes = pickPlaces(g.bike, 1000, SEED)
  const seeds = placeNodes.map((node) => ({ node, distance: 0 }))
  const [walkGraph, prepareMs] = time(() => prepareGraph(g.walk))
  const prepared: Record<Profile, Graph> = { walk: walkGraph, bike: prepareGraph(g.bike) }
  const places: Points = {
    x: Float64Array.from(placeNodes, (v) => g.walk.nodeX[v] as number),
    y: Float64Array.from(placeNodes, (v) => g.walk.nodeY[v] as number),
    lon: new Float64Array(0),
    lat: new Float64Array(0),
  }

  // Ours first, for both modes, before the database work.
  const runs = PROFILES.map((profile) => {
    const graph = prepared[profile]
    const run = timeDijkstra(graph.in, graph.nodeCount, seeds, 30)
    log(`  ${profile}: Dijkstra p50 ${fmt(run.ms.p50)} ms over ${graph.nodeCount} nodes`)
    let reach: ProvinceMode['reach']
    if (origins) {
      const options = { snapLimitM: SNAP_LIMIT_M }
      networkReach(graph, origins, places, options)
      const times: number[] = []
      for (let i = 0; i < 3; i++)
        times.push(time(() => networkReach(graph, origins, places, options))[1])
      reach = { ms: stats(times), origins: origins.x.length }
    }
    return { profile, graph, run, reach }
  })

  const scratch = await scratchDatabase()
  const modes: ProvinceMode[] = []
  let pgrVersion: string | undefined
  let serverVersion: string | undefined
  try {
    pgrVersion = await withPgrouting(scratch)
    if (pgrVersion) {
      serverVersion = (
        await sql<{
          v: string
        }>`select split_part(current_setting('server_version'), ' ', 1) as v`.execute(scratch.db)
      ).rows[0]?.v
    }
    for (const { profile, graph, run, reach } of runs) {
      const input = g[profile]
      let pgr: PgrBaseline | undefined
      if (pgrVersion) {
        const table = `bench_edges_${profile}`
        await sql`create table ${sql.id(table)} (id int primary key, source int not null, target int not null, cost float8 not null, reverse_cost float8 not null)`.execute(
          scratch.db,
        )
        const CHUNK = 50_000
        const neg = (c: number) => (c === Infinity ? -1 : c)
        for (let i = 0; i < input.source.length; i += CHUNK) {
          const end = Math.min(input.source.length, i + CHUNK)
          const range = Array.from({ length: end - i }, (_, k) => i + k)
          await sql`insert into ${sql.id(table)} select * from unnest(
            ${range.map((e) => e + 1)}::int[],
            ${range.map((e) => (input.source[e] as number) + 1)}::int[],
            ${range.map((e) => (input.target[e] as number) + 1)}::int[],
            ${range.map((e) => neg(input.cost[e] as number))}::float8[],
            ${range.map((e) => neg(input.reverseCost[e] as number))}::float8[])`.execute(scratch.db)
        }
        await sql`analyze ${sql.id(table)}`.execute(scratch.db)
        log(`  ${profile}: pgRouting (this takes a while)…`)
        const from = timeDijkstra(graph.out, graph.nodeCount, seeds, 1, 0).dist
        pgr = await pgrouting(
          scratch.db,
          `select id, source, target, cost, reverse_cost from ${table}`,
          placeNodes,
          { to: run.dist, from },
          3,
        )
        log(
          `  ${profile}: pgRouting multi-source p50 ${fmt(pgr.multi.p50)} ms (${agreeText(pgr.to)}), virtual source ${fmt(pgr.superSource.p50)} ms (${agreeText(pgr.superTo)})`,
        )
      }
      modes.push({
        profile,
        nodes: graph.nodeCount,
        directed: directedEdges(graph),
        reached: run.reached,
        ours: run.ms,
        ...(reach ? { reach } : {}),
        ...(pgr ? { pgr } : {}),
      })
    }
  } finally {
    await scratch.drop()
  }
  return {
    g,
    modes,
    generateMs,
    prepareMs,
    pgrVersion,
    serverVersion,
    backend: scratch.backend,
    edgeRows: { walk: g.walk.source.length, bike: g.bike.source.length },
  }
}

function syntheticNational(log: (s: string) => void) {
  log('SYNTHETIC national-size graph…')
  const [g, generateMs] = time(() => synthetic(NATIONAL))
  const placeCount = Math.round((1000 * g.walk.nodeCount) / 150_000 / 1000) * 1000
  const seeds = pickPlaces(g.bike, placeCount, SEED + 1).map((node) => ({ node, distance: 0 }))
  const modes: {
    profile: Profile
    nodes: number
    directed: number
    ms: Stats
    prepareMs: number
    bytes: number
  }[] = []
  for (const profile of PROFILES) {
    const [graph, prepareMs] = time(() => prepareGraph(g[profile]))
    const run = timeDijkstra(graph.in, graph.nodeCount, seeds, 3, 1)
    log(`  ${profile}: Dijkstra p50 ${fmt(run.ms.p50)} ms over ${graph.nodeCount} nodes`)
    modes.push({
      profile,
      nodes: graph.nodeCount,
      directed: directedEdges(graph),
      ms: run.ms,
      prepareMs,
      bytes: typedArrayBytes(graph),
    })
  }
  return { modes, generateMs, places: seeds.length, edgeRows: g.walk.source.length }
}

interface ExtractProfile {
  readonly profile: Profile
  readonly queryMs: number
  readonly prepareMs: number
  readonly nodes: number
  readonly edges: number
  readonly directed: number
  readonly places: number
  readonly offNetwork: number
  readonly seedNodes: number
  readonly ours: Stats
  readonly reach: { ms: Stats; origins: number }
  readonly pgr?: PgrBaseline
}

interface ExtractResult {
  readonly label: string
  readonly file: string
  readonly bytes: number
  readonly backend: string
  readonly importMs: number
  readonly elements: { nodes: number; ways: number; relations: number }
  readonly network: { nodes: number; edges: number }
  readonly placesImported: number
  readonly meetingPlaces: number
  readonly profiles: ExtractProfile[]
  readonly province: boolean
}

/** The H3 resolution-10 cells (the service's finest surface) that the network passes through. */
function originsAlong(lon: Float64Array, lat: Float64Array): Points {
  const cells = new Set<string>()
  for (let i = 0; i < lon.length; i++) {
    if (!Number.isNaN(lon[i])) cells.add(latLngToCell(lat[i] as number, lon[i] as number, 10))
  }
  const ll = [...cells].sort().map((c) => cellToLatLng(c))
  const rd = ll.map(([la, lo]) => lonLatToRd(lo, la))
  return {
    x: Float64Array.from(rd, (p) => p[0]),
    y: Float64Array.from(rd, (p) => p[1]),
    lon: Float64Array.from(ll, (p) => p[1]),
    lat: Float64Array.from(ll, (p) => p[0]),
  }
}

async function realExtract(
  file: string,
  label: string,
  province: boolean,
  log: (s: string) => void,
): Promise<ExtractResult> {
  log(`Real extract ${label}…`)
  const scratch = await scratchDatabase()
  try {
    await migrateToLatest(scratch.db)
    const pgrVersion = await withPgrouting(scratch)
    const bbox = [3.3, 50.7, 7.3, 53.6] as const
    const [report, importMs] = await timeAsync(() =>
      importOsm(
        {
          db: scratch.db,
          clock: systemClock,
          schemas: assetSchemas({ bbox, name: 'Nederland' }),
        },
        file,
        {
          network: true,
          places: true,
          dryRun: false,
          regionBbox: bbox,
          ferryPenaltyMin: 5,
          actor: 'bench',
          fileName: path.basename(file),
        },
      ),
    )
    log(`  import ${fmt(importMs)} ms (${scratch.backend})`)
    const records = (await listPlaceRecords(scratch.db)).filter(
      (p) => p.is_meeting_place && p.status === 'active',
    )
    const rd = records.map((p) => lonLatToRd(p.lon, p.lat))
    const places: Points = {
      x: Float64Array.from(rd, (p) => p[0]),
      y: Float64Array.from(rd, (p) => p[1]),
      lon: Float64Array.from(records, (p) => p.lon),
      lat: Float64Array.from(records, (p) => p.lat),
    }
    const meta = await networkMeta(scratch.db)
    const profiles: ExtractProfile[] = []
    for (const profile of PROFILES) {
      const [stored, queryMs] = await timeAsync(() => loadStoredGraph(scratch.db, profile))
      const [graph, prepareMs] = time(() => graphFromStored(stored))
      // Each meeting place starts from the nearer end of the edge it snaps to (distance 0), so
      // that pgRouting, which starts at nodes, answers the same question.
      const starts = new Set<number>()
      let offNetwork = 0
      for (let j = 0; j < places.x.length; j++) {
        const s = snap(graph, places.x[j] as number, places.y[j] as number, SNAP_LIMIT_M)
        if (!s) {
          offNetwork++
          continue
        }
        const near = s.offset <= (graph.length[s.edge] as number) / 2
        starts.add((near ? graph.source[s.edge] : graph.target[s.edge]) as number)
      }
      // Sorted: the places' order (by uuid) changes with every import.
      const startNodes = [...starts].sort((a, b) => a - b)
      const seeds = startNodes.map((node) => ({ node, distance: 0 }))
      const run = timeDijkstra(graph.in, graph.nodeCount, seeds, 30)
      const origins = originsAlong(stored.lon, stored.lat)
      networkReach(graph, origins, places, { snapLimitM: SNAP_LIMIT_M })
      const reachTimes: number[] = []
      for (let i = 0; i < 3; i++) {
        reachTimes.push(
          time(() => networkReach(graph, origins, places, { snapLimitM: SNAP_LIMIT_M }))[1],
        )
      }
      let pgr: PgrBaseline | undefined
      if (pgrVersion && seeds.length > 0) {
        const from = timeDijkstra(graph.out, graph.nodeCount, seeds, 1, 0).dist
        pgr = await pgrouting(
          scratch.db,
          `select id, source, target, cost, reverse_cost from network_edges where profile = '${profile}'`,
          startNodes,
          { to: run.dist, from },
          3,
        )
      }
      const m = meta.find((x) => x.profile === profile)
      profiles.push({
        profile,
        queryMs,
        prepareMs,
        nodes: m?.nodes ?? graph.nodeCount,
        edges: stored.source.length,
        directed: directedEdges(graph),
        places: places.x.length,
        offNetwork,
        seedNodes: seeds.length,
        ours: run.ms,
        reach: { ms: stats(reachTimes), origins: origins.x.length },
        ...(pgr ? { pgr } : {}),
      })
      log(
        `  ${profile}: load ${fmt(queryMs + prepareMs)} ms, Dijkstra p50 ${fmt(run.ms.p50)} ms${pgr ? `, pgRouting p50 ${fmt(pgr.multi.p50)} ms; ${agreeText(pgr.to)}` : ''}`,
      )
    }
    return {
      label,
      file: path.basename(file),
      bytes: fs.statSync(file).size,
      backend: `${scratch.backend}${pgrVersion ? ` + pgRouting ${pgrVersion}` : ''}`,
      importMs,
      elements: report.elements,
      network: { nodes: report.network?.nodes ?? 0, edges: report.network?.edges ?? 0 },
      placesImported: report.places ? report.places.created + report.places.updated : 0,
      meetingPlaces: records.length,
      profiles,
      province,
    }
  } finally {
    await scratch.drop()
  }
}

export interface NetworkBenchOptions {
  /** Origins for the full `networkReach` on the synthetic province (the real Flevoland cells). */
  readonly origins?: Points
  readonly originsLabel?: string
  readonly log?: (s: string) => void
}

export interface NetworkBench {
  readonly markdown: string
  /** For the machine line: the pgRouting baseline's server and version. */
  readonly baseline?: string
}

/** Runs the network benchmarks and returns the BENCHMARKS.md section. */
export async function benchNetwork(opts: NetworkBenchOptions = {}): Promise<NetworkBench> {
  const log = opts.log ?? ((s: string) => console.log(s))
  const province = await syntheticProvince(opts.origins, log)

  const extracts: [string, string, boolean][] = [
    [path.join(SHARED, 'osm', 'tudelft.osm.pbf'), 'TU Delft', false],
    [path.join(SHARED, 'osm', 'amsterdam.osm.gz'), 'Amsterdam', false],
  ]
  const provinceFile = process.env.BUURTKAART_BENCH_OSM
  if (provinceFile) extracts.push([provinceFile, 'province extract (BUURTKAART_BENCH_OSM)', true])
  const real: ExtractResult[] = []
  for (const [file, label, isProvince] of extracts) {
    if (!fs.existsSync(file)) {
      if (isProvince) throw new Error(`BUURTKAART_BENCH_OSM: no such file ${file}`)
      log(`Skipping ${file}: missing.`)
      continue
    }
    real.push(await realExtract(file, label, isProvince, log))
  }

  const national = syntheticNational(log)
  return {
    markdown: section(province, real, national, Boolean(provinceFile), opts.originsLabel),
    ...(province.pgrVersion
      ? {
          baseline: `pgRouting ${province.pgrVersion} on PostgreSQL ${province.serverVersion ?? '?'}`,
        }
      : {}),
  }
}

// --- BENCHMARKS.md -----------------------------------------------------------------------------

const GOAL_MS = 100
const GOAL_RATIO = 20
const GOAL_NATIONAL_MS = 5000
const met = (ok: boolean) => (ok ? 'met' : '**NOT met**')
const times = (r: number) => `${r < 10 ? r.toFixed(1) : r.toFixed(0)}×`

/** One line on how pgRouting's two answers compare with ours. */
function agreementLine(pgr: PgrBaseline): string {
  const parts = [`virtual source: ${agreeText(pgr.superTo)}`]
  parts.push(`multi-source, distances to the places: ${agreeText(pgr.to)}`)
  parts.push(
    `multi-source, distances from the places (ours over \`graph.out\`): ${agreeText(pgr.from)}`,
  )
  const arbiter = arbiterText(pgr.arbiter)
  return `${parts.join('; ')}.${arbiter ? ` ${arbiter}` : ''}`
}

const shortAgreement = (pgr: PgrBaseline) => {
  const a =
    pgr.superTo.differ === 0
      ? 'virtual source: all agree'
      : `virtual source: **${int(pgr.superTo.differ)} differ**`
  const multi = pgr.to.differ + pgr.from.differ
  return `${a}; multi-source: ${multi === 0 ? 'all agree' : `${int(pgr.to.differ)} + ${int(pgr.from.differ)} differ (to / from)`}`
}

function section(
  province: Awaited<ReturnType<typeof syntheticProvince>>,
  real: readonly ExtractResult[],
  national: ReturnType<typeof syntheticNational>,
  hasProvinceFile: boolean,
  originsLabel: string | undefined,
): string {
  const p = PROVINCE
  const lines: string[] = []
  const push = (...s: string[]) => lines.push(...s)
  const walk = province.modes.find((m) => m.profile === 'walk')
  const bike = province.modes.find((m) => m.profile === 'bike')
  const withPgr = province.modes.filter((m) => m.pgr)
  push(
    '## Network distances (issue 4: walk and bike over the OpenStreetMap network)',
    '',
    'What is timed as "Dijkstra": one multi-source Dijkstra from all places at once over the reversed',
    "graph (`dijkstra(graph.in, seeds, dist)` in api/domain/network/graph.ts), i.e. every node's",
    'network distance *to* its nearest place; warm, one thread, graph already in memory (the service',
    'loads it once per network version); resetting the distance array is included. The full',
    '`networkReach` (snapping, that Dijkstra, plus one Dijkstra per place bounded at 5 km for the',
    'counts within 1/3/5 km) is given as extra information.',
    '',
    `Baseline: pgRouting ${province.pgrVersion ?? '(not available)'} on PostgreSQL ${province.serverVersion ?? '(not available)'} on the same edges, in two forms:`,
    '',
    '- the multi-source call the issue names, `pgr_drivingDistance(edges, ARRAY[places], 1e15,',
    '  directed := true, equicost := true)`;',
    '- one single-source `pgr_drivingDistance(edges + virtual edges, virtual node, 1e15)` from a',
    '  virtual node joined to every place by a one-way edge of cost 0: the same distances from one',
    '  Dijkstra, the fastest correct way to ask pgRouting this question that we know of.',
    '',
    'Both read edges with source and target swapped, so they too give distances *to* the places.',
    'Warm, timed as `select count(*)` on the server (no rows travel to the client; the time includes',
    'reading the edges from their table, which is how pgRouting works). A multi-source',
    '`pgr_dijkstraCost` would return one row per place × node (150 million here), so it is not used.',
    '',
    '### SYNTHETIC province-size graph',
    '',
    '**This graph is SYNTHETIC, not OpenStreetMap data** (no real province extract is at hand; see',
    `below to run on one). Generated from seed ${p.seed} in ${seconds(province.generateMs)}: a ${p.cols} × ${p.rows} grid at ${p.spacing} m`,
    `spacing with jitter over Flevoland's extent in RD New (x ${int(p.minX)}–${int(p.minX + (p.cols - 1) * p.spacing)}, y ${int(p.minY)}–${int(p.minY + (p.rows - 1) * p.spacing)}),`,
    `without the nodes in ${province.g.lakes} round lakes and ${province.g.channels} sinuous channels (bridged every 3 km); 65 % of the grid`,
    'links and 5 % of the diagonals kept; each edge bends so that its length is the straight line ×',
    '1–1.25; cost = length. Walk: every edge both ways. Bike: 12 % of the edges are footpaths (left',
    'out), 8 % of the rest one-way. 1,000 places at random nodes.',
    `**${int(walk?.nodes ?? 0)} nodes**; walk ${int(province.edgeRows.walk)} edges = **${int(walk?.directed ?? 0)} directed edges**; bike`,
    `${int(province.edgeRows.bike)} edges = ${int(bike?.directed ?? 0)} directed edges. Preparing the walk graph (CSR both ways, components,`,
    `snapping index) takes ${ms(province.prepareMs)}; the service does that once per network version.`,
    '',
    '| what | mode | nodes reached | p50 | p95 | min | runs | goal | result |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  )
  for (const m of province.modes) {
    push(
      `| **ours**: multi-source Dijkstra, 1,000 places | ${m.profile} | ${int(m.reached)} | ${ms(m.ours.p50)} | ${ms(m.ours.p95)} | ${ms(m.ours.min)} | ${m.ours.n} | ≤ ${GOAL_MS} ms | ${met(m.ours.p50 <= GOAL_MS)} |`,
    )
  }
  for (const m of withPgr) {
    const pgr = m.pgr as PgrBaseline
    const r = pgr.multi.p50 / m.ours.p50
    push(
      `| pgRouting multi-source \`pgr_drivingDistance\` (equicost) | ${m.profile} | ${int(pgr.to.reached)} | ${ms(pgr.multi.p50)} | ${ms(pgr.multi.p95)} | ${ms(pgr.multi.min)} | ${pgr.multi.n} | | |`,
      `| **ratio pgRouting multi-source ÷ ours** (p50) | ${m.profile} | | **${times(r)}** | | | | ≥ ${GOAL_RATIO}× | ${met(r >= GOAL_RATIO)} |`,
    )
  }
  for (const m of withPgr) {
    const pgr = m.pgr as PgrBaseline
    const r = pgr.superSource.p50 / m.ours.p50
    push(
      `| pgRouting single-source \`pgr_drivingDistance\` from a virtual node | ${m.profile} | ${int(pgr.superTo.reached)} | ${ms(pgr.superSource.p50)} | ${ms(pgr.superSource.p95)} | ${ms(pgr.superSource.min)} | ${pgr.superSource.n} | | |`,
      `| **ratio pgRouting virtual source ÷ ours** (p50) | ${m.profile} | | **${times(r)}** | | | | ≥ ${GOAL_RATIO}× | ${met(r >= GOAL_RATIO)} |`,
    )
  }
  for (const m of province.modes) {
    if (!m.reach) continue
    push(
      `| full \`networkReach\`: ${int(m.reach.origins)} origins${originsLabel ? ` (${originsLabel})` : ''}, 1,000 places, distance + counts within 1/3/5 km | ${m.profile} | | ${ms(m.reach.ms.p50)} | ${ms(m.reach.ms.p95)} | ${ms(m.reach.ms.min)} | ${m.reach.ms.n} | | |`,
    )
  }
  push('')
  if (withPgr.length === 0) {
    push(`No pgRouting baseline: no PostgreSQL server with pgRouting (${province.backend}).`, '')
  } else {
    push('Agreement with pgRouting, node by node (within 1e-6 relative):', '')
    for (const m of withPgr) push(`- ${m.profile}: ${agreementLine(m.pgr as PgrBaseline)}`)
    push('')
    const multiWrong = withPgr.some(
      (m) =>
        m.pgr &&
        m.pgr.superTo.differ === 0 &&
        m.pgr.to.differ > 0 &&
        m.pgr.to.pgrLarger === m.pgr.to.differ,
    )
    if (multiWrong) {
      push(
        "Our distances equal pgRouting's own single-source Dijkstra at every node; the multi-source",
        'call with `equicost` is too long at some nodes, never too short, and the independent',
        '`pgr_dijkstraCost` sides with ours. In pgRouting 3.4.2 that call runs one Dijkstra per start',
        'on one shared distance array and its visitor marks the neighbours of a node the current run',
        'did not improve as finished, so a shorter path found later by that run cannot relax them.',
        'Smallest case found: edges 6→7 (cost 2), 1–2 (1, both ways), 1→3 (3), 1–6 (1, both ways),',
        '7→3 (1), starts ARRAY[2, 6]: node 3 gets 4 (from 2 via 1) instead of 3 (from 6 via 7). So the',
        'multi-source figures time a call whose answers are partly wrong; the virtual-source call is',
        'the fair baseline.',
        '',
      )
    }
    const ratios = withPgr.map((m) => {
      const pgr = m.pgr as PgrBaseline
      return {
        profile: m.profile,
        multi: pgr.multi.p50 / m.ours.p50,
        single: pgr.superSource.p50 / m.ours.p50,
      }
    })
    push(
      `Goal ≥ ${GOAL_RATIO}× against the multi-source call the issue names: ${ratios.map((r) => `${r.profile} ${times(r.multi)} (${met(r.multi >= GOAL_RATIO)})`).join(', ')}. Against the`,
      `virtual-source call: ${ratios.map((r) => `${r.profile} ${times(r.single)} (${met(r.single >= GOAL_RATIO)})`).join(', ')}.`,
      '',
    )
  }

  push(
    '### Real OpenStreetMap extracts',
    '',
    'Each extract is imported with `importOsm` (network and places, one transaction) into a fresh',
    'scratch database; then per profile the graph is loaded as the service does (query:',
    '`loadStoredGraph`; prepare: `graphFromStored`, i.e. projection to RD New and preparation). The',
    'Dijkstra starts from every imported active meeting place, at the nearer end of the edge it',
    `snaps to (within ${SNAP_LIMIT_M} m), so that pgRouting, which starts at nodes, answers the same question`,
    'on the very `network_edges` rows the import stored. `networkReach` uses the H3 resolution-10',
    'cells the network passes through as origins.',
    '',
    '| extract | file | database | import | OSM nodes / ways / relations | network nodes / edges | places imported (meeting places) |',
    '|---|---|---|---:|---|---|---|',
  )
  for (const r of real) {
    push(
      `| ${r.label} | ${r.file}, ${(r.bytes / 1e6).toFixed(1)} MB | ${r.backend} | ${ms(r.importMs)} | ${int(r.elements.nodes)} / ${int(r.elements.ways)} / ${int(r.elements.relations)} | ${int(r.network.nodes)} / ${int(r.network.edges)} | ${int(r.placesImported)} (${int(r.meetingPlaces)}) |`,
    )
  }
  push(
    '',
    '| extract | mode | graph load: query + prepare | nodes | edges (directed) | start nodes (places off network) | Dijkstra p50 | min | pgRouting multi-source p50 (ratio) | virtual source p50 (ratio) | agreement with pgRouting | `networkReach` p50 (origins) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  )
  for (const r of real) {
    for (const q of r.profiles) {
      const goals = r.province ? ` (≤ ${GOAL_MS} ms: ${met(q.ours.p50 <= GOAL_MS)})` : ''
      const pgrCell = (v: Stats | undefined) =>
        v ? `${ms(v.p50)} (${times(v.p50 / q.ours.p50)})` : '—'
      push(
        `| ${r.label} | ${q.profile} | ${ms(q.queryMs)} + ${ms(q.prepareMs)} | ${int(q.nodes)} | ${int(q.edges)} (${int(q.directed)}) | ${int(q.seedNodes)} (${int(q.offNetwork)} of ${int(q.places)}) | ${ms(q.ours.p50)}${goals} | ${ms(q.ours.min)} | ${pgrCell(q.pgr?.multi)} | ${pgrCell(q.pgr?.superSource)} | ${q.pgr ? shortAgreement(q.pgr) : '—'} | ${ms(q.reach.ms.p50)} (${int(q.reach.origins)}) |`,
      )
    }
  }
  push('')
  const realPgr = real.flatMap((r) => r.profiles.filter((q) => q.pgr).map((q) => [r, q] as const))
  if (realPgr.length > 0) {
    push('Agreement in detail:', '')
    for (const [r, q] of realPgr)
      push(`- ${r.label}, ${q.profile}: ${agreementLine(q.pgr as PgrBaseline)}`)
    push('')
  }
  if (!hasProvinceFile) {
    push(
      'No real province extract was given. To run the same import, load, Dijkstra and pgRouting',
      'comparison on one: `BUURTKAART_BENCH_OSM=/path/to/flevoland-latest.osm.pbf npm run bench`',
      '(Geofabrik publishes an extract per Dutch province).',
      '',
    )
  }
  push(
    '### SYNTHETIC national-size graph',
    '',
    `**SYNTHETIC**, generated the same way from seed ${NATIONAL.seed} in ${seconds(national.generateMs)}: a ${NATIONAL.cols} × ${NATIONAL.rows} grid at`,
    `${NATIONAL.spacing} m (x ${int(NATIONAL.minX)}–${int(NATIONAL.minX + (NATIONAL.cols - 1) * NATIONAL.spacing)}, y ${int(NATIONAL.minY)}–${int(NATIONAL.minY + (NATIONAL.rows - 1) * NATIONAL.spacing)}), ${int(national.edgeRows)} walk edges; ${int(national.places)} places at random`,
    "nodes (the synthetic province's density of 1,000 per 150,000 nodes). No pgRouting baseline at",
    'this size.',
    '',
    '| what | mode | nodes | directed edges | p50 | min | runs | goal | result |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  )
  for (const m of national.modes) {
    push(
      `| **ours**: multi-source Dijkstra, ${int(national.places)} places | ${m.profile} | ${int(m.nodes)} | ${int(m.directed)} | ${ms(m.ms.p50)} | ${ms(m.ms.min)} | ${m.ms.n} | < ${int(GOAL_NATIONAL_MS)} ms | ${met(m.ms.p50 < GOAL_NATIONAL_MS)} |`,
    )
  }
  push(
    '',
    `Preparing the national graph took ${national.modes.map((m) => `${seconds(m.prepareMs)} (${m.profile})`).join(', ')}; in memory it holds ${national.modes.map((m) => `${mib(m.bytes)} (${m.profile})`).join(', ')} of typed arrays (nodes, both edge directions, lengths, components, snapping index).`,
    '',
  )
  return lines.join('\n')
}

// Run alone: print the section.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchNetwork()
  console.log(`\n${result.markdown}`)
}
