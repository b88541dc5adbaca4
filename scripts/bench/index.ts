/**
 * `npm run bench`: the gap-analysis engine on the real Flevoland areas, against PostGIS.
 *
 * - Population surface: the real CBS wijken (shared/data) spread onto H3 resolution 10, exactly
 *   as the service builds it.
 * - 1,000 meeting places drawn inside the real province boundary from a fixed seed.
 * - Engine: warm time for straight-line distances (+ counts within 1/3/5 km) and the coverage of
 *   all gemeenten. Baseline: the same distances and coverage from one PostGIS query
 *   (LATERAL … ORDER BY geom <-> … LIMIT 1) on the same cells and places, on PostgreSQL
 *   (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server), or PGlite without one.
 * - National scale: the province tiled to about 2.5 million populated cells.
 * - Network distances (scripts/bench/network.ts): OSM import and graph load on the real extracts,
 *   one multi-source Dijkstra on synthetic province- and national-size graphs, against pgRouting.
 * - Load and tiles (scripts/bench/load.ts): the service as its own process under autocannon with
 *   100,000 generated assets, on PostgreSQL and PGlite. `npm run bench -- --only load` (or
 *   `engine`, `availability`, `start`) runs just that section and prints it; with `--write` it also replaces
 *   that section of BENCHMARKS.md, saying when and on what it was measured again.
 *
 * Results, machine info and ratios against the goals go to BENCHMARKS.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { booleanPointInPolygon } from '@turf/turf'
import { sql } from 'kysely'
import { projectRoot } from '../../api/config.js'
import { coverage, type Selection } from '../../api/domain/coverage.js'
import { lonLatToRd } from '../../api/domain/geo.js'
import { straightLine, type DistanceMethod, type Points } from '../../api/domain/reach.js'
import { computeStraightLine } from '../../api/services/compute/line.js'
import { workerCompute } from '../../api/services/compute/pool.js'
import { SURFACE_RESOLUTIONS } from '../../api/domain/surface.js'
import { buildSurface, type LoadedSurface } from '../../api/services/analysis.js'
import { importAreas } from '../../api/services/areas.js'
import { systemClock } from '../../api/domain/clock.js'
import { rebuildSurface } from '../../api/services/population.js'
import { loadControls, loadSurface, surfaceMeta } from '../../api/repositories/population.js'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../api/db/create-db.js'
import { benchAvailability } from './availability.js'
import { benchLoad } from './load.js'
import { benchPlanning } from './planning.js'
import { benchStart } from './start.js'
import { mib, retainedHeap, settleHeap, typedArrayBytes } from './memory.js'
import { benchDatabaseUrl, benchNetwork, fmt, rng, SHARED, stats, timeAsync } from './network.js'

const loadBefore = os.loadavg()[0] ?? 0
/**
 * How fast this machine is right now: sorting 2 million pseudo-random doubles (CPU and memory, as
 * the engine uses them). Machines of one kind, and one machine over a day, differed by 1.5-2x
 * here, so each figure says how fast the machine was when it was measured.
 */
const sortMs = (() => {
  const values = new Float64Array(2_000_000)
  let seed = 20261206
  for (let i = 0; i < values.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    values[i] = seed / 2 ** 31
  }
  const start = performance.now()
  values.sort()
  return performance.now() - start
})()
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined
const sections = { load: benchLoad, availability: benchAvailability, start: benchStart }
if (only !== undefined && only in sections) {
  const markdown = await sections[only as keyof typeof sections]()
  console.log(markdown)
  if (process.argv.includes('--write')) replaceSection(markdown)
  process.exit(0)
} else if (only !== undefined && only !== 'engine') {
  throw new Error('--only takes one section: engine, load, availability or start')
}
const read = (file: string) => {
  const full = path.join(SHARED, file)
  if (!fs.existsSync(full))
    throw new Error(`The benchmark needs the real data: ${full} is missing.`)
  return JSON.parse(fs.readFileSync(full, 'utf8')) as {
    features: {
      properties: Record<string, unknown>
      geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
    }[]
  }
}

// --- Data: the real surface as the service builds it, and reproducible places ----------------
const province = read('flevoland_provincie_2022.geojson').features[0]
if (!province) throw new Error('no province boundary')
console.log('Loading the real gemeenten, wijken, PC4 areas and 2024 counts into embedded PGlite…')
const surfaceDb = await openDatabase({ dataDir: 'memory://' })
await migrateToLatest(surfaceDb.db)
const areaFile = (file: string, year: number) => ({
  collection: read(file) as unknown,
  year,
  source: `CBS / Kadaster (${file})`,
})
const COUNTS_FILE = 'flevoland_kwb2024_gemeenten_wijken_population.csv'
const [imported, importMs] = await timeAsync(() =>
  importAreas(
    { db: surfaceDb.db, clock: systemClock },
    [
      areaFile('flevoland_gemeenten_2022.geojson', 2022),
      areaFile('flevoland_wijken_2022.geojson', 2022),
      areaFile('flevoland_pc4_2020geom_pop2021.geojson', 2021),
    ],
    [
      {
        text: fs.readFileSync(path.join(SHARED, COUNTS_FILE), 'utf8'),
        year: 2024,
        source: `CBS (${COUNTS_FILE})`,
        name: COUNTS_FILE,
      },
    ],
  ),
)
// The surface alone (habitable outlines, PC4 density, dasymetric placing, all four resolutions
// stored), as every later import or count update rebuilds it; best of three.
const rebuildTimes: number[] = []
for (let i = 0; i < 3; i++) {
  rebuildTimes.push(
    (
      await timeAsync(() =>
        surfaceDb.db.transaction().execute((trx) => rebuildSurface(trx, systemClock)),
      )
    )[1],
  )
}
const buildMs = Math.min(...rebuildTimes)
const meta = await surfaceMeta(surfaceDb.db)
if (!meta) throw new Error('no surface')
const controls = await loadControls(surfaceDb.db)
const rows = await Promise.all(SURFACE_RESOLUTIONS.map((r) => loadSurface(surfaceDb.db, r)))
await surfaceDb.close()
await settleHeap()
const [loaded, surfaceBytes, exactHeap] = retainedHeap(() =>
  SURFACE_RESOLUTIONS.map((r, i) => buildSurface(r, rows[i] as never, meta, controls)),
)
const surface = loaded[loaded.length - 1] as LoadedSurface
const units = imported.levels.find((l) => l.level === 'wijk')
const cells: Points = surface.points
const selections: [string, Selection][] = imported.gemeenten.map((g) => [
  g.code,
  surface.selections.get(g.code) as Selection,
])

const random = rng(20261121)
const placeLonLat: [number, number][] = []
while (placeLonLat.length < 1000) {
  const lon = 5.13 + random() * 0.8
  const lat = 52.27 + random() * 0.6
  if (booleanPointInPolygon([lon, lat], province as never)) placeLonLat.push([lon, lat])
}
const placeRd = placeLonLat.map(([lon, lat]) => lonLatToRd(lon, lat))
const places: Points = {
  x: Float64Array.from(placeRd, (p) => p[0]),
  y: Float64Array.from(placeRd, (p) => p[1]),
  lon: Float64Array.from(placeLonLat, (p) => p[0]),
  lat: Float64Array.from(placeLonLat, (p) => p[1]),
}

// --- Engine, warm ------------------------------------------------------------------------------
const compute = workerCompute()
const parallel = computeStraightLine(compute)
const threads = Math.min(4, os.availableParallelism())
async function engineRun(
  method: DistanceMethod,
  origins: Points,
  dest: Points,
  sel: [string, Selection][],
) {
  const reach = await method.measure(origins, dest)
  // As the API does: every figure, the 50 most severe gaps ranked.
  return sel.map(([gm, s]) => [gm, coverage(s, reach, 800, 50)] as const)
}
async function timed(
  method: DistanceMethod,
  origins: Points,
  dest: Points,
  sel: [string, Selection][],
  runs: number,
) {
  for (let i = 0; i < 5; i++) await engineRun(method, origins, dest, sel)
  const times: number[] = []
  let result: Awaited<ReturnType<typeof engineRun>> = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    result = await engineRun(method, origins, dest, sel)
    times.push(performance.now() - t)
  }
  return { ms: stats(times), result }
}
const single = await timed(straightLine(), cells, places, selections, 30)
const { ms: engine, result: engineResult } = await timed(parallel, cells, places, selections, 30)
console.log(
  `Engine: ${surface.cells.length} cells, 1,000 places, 6 gemeenten: p50 ${fmt(engine.p50)} ms (${threads} threads), ${fmt(single.ms.p50)} ms (1 thread)`,
)

// --- PostGIS baseline --------------------------------------------------------------------------
async function postgisBaseline(): Promise<{
  backend: string
  version: string
  ms: ReturnType<typeof stats>
  shares: Map<string, number>
}> {
  const url = benchDatabaseUrl()
  let handle: DatabaseHandle
  let admin: DatabaseHandle | undefined
  let benchDb: string | undefined
  try {
    admin = await openDatabase({ databaseUrl: url, maxConnections: 1 })
    benchDb = 'buurtkaart_bench'
    await sql`drop database if exists ${sql.id(benchDb)} with (force)`.execute(admin.db)
    await sql`create database ${sql.id(benchDb)}`.execute(admin.db)
    const u = new URL(url)
    u.pathname = `/${benchDb}`
    handle = await openDatabase({ databaseUrl: u.toString(), maxConnections: 1 })
  } catch (e) {
    console.log(`No PostgreSQL (${String(e).slice(0, 80)}…): baseline on embedded PGlite.`)
    await admin?.close()
    admin = undefined
    handle = await openDatabase({ dataDir: 'memory://' })
  }
  const db = handle.db
  try {
    await sql`create extension if not exists postgis`.execute(db)
    const version =
      (await sql<{ v: string }>`select postgis_lib_version() as v`.execute(db)).rows[0]?.v ?? '?'
    await sql`create table bench_cells (id int primary key, gemeente text, inhabitants float8, geom geometry(Point, 28992))`.execute(
      db,
    )
    await sql`create table bench_portions (cell int, gemeente text, inhabitants float8)`.execute(db)
    await sql`create table bench_places (id int primary key, geom geometry(Point, 28992))`.execute(
      db,
    )
    for (let i = 0; i < surface.cells.length; i += 2000) {
      const chunk = surface.cells.slice(i, i + 2000)
      await sql`insert into bench_cells (id, inhabitants, geom) values ${sql.join(
        chunk.map(
          (_, k) =>
            sql`(${i + k}, ${surface.inhabitants[i + k] as number}::float8, ST_SetSRID(ST_MakePoint(${cells.x[i + k] as number}::float8, ${cells.y[i + k] as number}::float8), 28992))`,
        ),
      )}`.execute(db)
    }
    const portions = selections.flatMap(([gm, sel]) =>
      Array.from(sel.cell, (c, k) => [c, gm, sel.inhabitants[k] as number] as const),
    )
    for (let i = 0; i < portions.length; i += 5000) {
      await sql`insert into bench_portions values ${sql.join(
        portions.slice(i, i + 5000).map(([c, g, n]) => sql`(${c}, ${g}, ${n}::float8)`),
      )}`.execute(db)
    }
    await sql`insert into bench_places values ${sql.join(
      placeRd.map(
        ([x, y], k) => sql`(${k}, ST_SetSRID(ST_MakePoint(${x}::float8, ${y}::float8), 28992))`,
      ),
    )}`.execute(db)
    await sql`create index on bench_places using gist (geom)`.execute(db)
    await sql`analyze`.execute(db)
    const query = sql<{ gemeente: string; share: number }>`
      with nearest as (
        select c.id, d.dist from bench_cells c
        cross join lateral (select c.geom <-> p.geom as dist from bench_places p order by c.geom <-> p.geom limit 1) d)
      select p.gemeente, sum(p.inhabitants) filter (where n.dist <= 800)::float8 / sum(p.inhabitants) as share,
             sum(p.inhabitants * n.dist) / sum(p.inhabitants) as mean_distance
      from bench_portions p join nearest n on n.id = p.cell group by p.gemeente order by 1`
    await query.execute(db)
    const times: number[] = []
    let shares = new Map<string, number>()
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      const rows = (await query.execute(db)).rows
      times.push(performance.now() - t)
      shares = new Map(rows.map((r) => [r.gemeente, Number(r.share)]))
    }
    return { backend: admin ? 'PostgreSQL' : 'PGlite', version, ms: stats(times), shares }
  } finally {
    await handle.close()
    if (admin && benchDb) {
      await sql`drop database if exists ${sql.id(benchDb)} with (force)`.execute(admin.db)
      await admin.close()
    }
  }
}

console.log('PostGIS baseline…')
const baseline = await postgisBaseline()
let maxDiffPp = 0
for (const [gm, cov] of engineResult) {
  const diff = Math.abs((cov.share ?? 0) - (baseline.shares.get(gm) ?? NaN)) * 100
  maxDiffPp = Math.max(maxDiffPp, diff)
}
console.log(
  `PostGIS (${baseline.backend}): p50 ${fmt(baseline.ms.p50)} ms; largest coverage difference ${maxDiffPp.toFixed(4)} pp`,
)
// --- National scale ----------------------------------------------------------------------------
const TILES = Math.ceil(Math.sqrt(2_500_000 / surface.cells.length))
const tileSize = 120_000
function tiled(p: Points, k: number): Points {
  const n = p.x.length
  const out = {
    x: new Float64Array(n * k * k),
    y: new Float64Array(n * k * k),
    lon: new Float64Array(0),
    lat: new Float64Array(0),
  }
  for (let tx = 0; tx < k; tx++) {
    for (let ty = 0; ty < k; ty++) {
      const base = (tx * k + ty) * n
      for (let i = 0; i < n; i++) {
        out.x[base + i] = (p.x[i] as number) + tx * tileSize
        out.y[base + i] = (p.y[i] as number) + ty * tileSize
      }
    }
  }
  return out
}
const nationalCells = tiled(cells, TILES)
const nationalPlaces = tiled(places, TILES)
const nationalSelections: [string, Selection][] = []
for (let t = 0; t < TILES * TILES; t++) {
  for (const [gm, s] of selections) {
    nationalSelections.push([
      `${gm}-${t}`,
      { cell: s.cell.map((c) => c + t * surface.cells.length), inhabitants: s.inhabitants },
    ])
  }
}
const nationalBytes = typedArrayBytes([nationalCells, nationalPlaces])
const national = (await timed(parallel, nationalCells, nationalPlaces, nationalSelections, 3)).ms
await compute.close()
console.log(
  `National scale: ${nationalCells.x.length} cells, ${nationalPlaces.x.length} places: p50 ${fmt(national.p50)} ms`,
)

const ratio = baseline.ms.p50 / engine.p50
const engineSection = `## Gap analysis engine (issue: gap analysis engine)

Data: the real CBS wijken of Flevoland (2022 outlines, ${units?.withCount ?? '?'} areas, ${Math.round(
  units?.inhabitants ?? 0,
).toLocaleString(
  'en-GB',
)} inhabitants in ${units?.year ?? '?'}), placed on H3 resolution 10 by the service's own
dasymetric model (PC4 2021 counts per km² of land as density; each gemeente scaled to its own CBS count):
**${surface.cells.length.toLocaleString('en-GB')} populated cells**. 1,000 meeting places drawn inside the real
province boundary (seed 20261121). Threshold 800 m, straight line in RD New.

| what | cells | places | p50 | p95 | min | runs | goal | result |
|---|---:|---:|---:|---:|---:|---:|---|---|
| engine, warm, ${threads} worker threads: distances + counts within 1/3/5 km + coverage, bands and top-50 gaps of all 6 gemeenten | ${surface.cells.length} | 1,000 | ${fmt(engine.p50)} ms | ${fmt(engine.p95)} ms | ${fmt(engine.min)} ms | ${engine.n} | ≤ 25 ms | ${engine.p50 <= 25 ? 'met' : 'NOT met'} |
| the same on one thread (no workers) | ${surface.cells.length} | 1,000 | ${fmt(single.ms.p50)} ms | ${fmt(single.ms.p95)} ms | ${fmt(single.ms.min)} ms | ${single.ms.n} | | |
| PostGIS \`LATERAL … ORDER BY geom <-> … LIMIT 1\` + coverage per gemeente (warm, GiST index) | ${surface.cells.length} | 1,000 | ${fmt(baseline.ms.p50)} ms | ${fmt(baseline.ms.p95)} ms | ${fmt(baseline.ms.min)} ms | ${baseline.ms.n} | | |
| **ratio PostGIS ÷ engine** | | | **${ratio.toFixed(0)}×** | | | | ≥ 50× | ${ratio >= 50 ? 'met' : 'NOT met'} |
| national scale (province tiled ${TILES} × ${TILES}), ${threads} threads | ${nationalCells.x.length.toLocaleString('en-GB')} | ${nationalPlaces.x.length.toLocaleString('en-GB')} | ${fmt(national.p50)} ms | ${fmt(national.p95)} ms | ${fmt(national.min)} ms | ${national.n} | < 5,000 ms | ${national.p50 < 5000 ? 'met' : 'NOT met'} |

The engine splits the cells over worker threads (one per core, at most 4; this machine has
${os.availableParallelism()}); each runs the same pure straight-line method on its share. The PostGIS query computes less than the engine (only the nearest distance, no counts within
1/3/5 km), so the ratio is conservative. Both agree: the largest difference in coverage per
gemeente is ${maxDiffPp.toFixed(4)} percentage points.${
  engine.p50 <= 25
    ? ''
    : `

The ≤ 25 ms goal was met (25.0 ms) on the earlier surface of 74,417 cells, which spread each wijk
over its whole area, water and farmland included. The CBS-exact model of issue 17 places the same
people only on habitable land at resolution 10 (${surface.cells.length.toLocaleString('en-GB')} cells: a finer, truer surface with more
cells along the towns' edges), and the engine's time grows with the number of cells; it is reported
as measured, not tuned back to the goal.`
}

Building the surface for the real province with the dasymetric weighting (habitable outlines in
PostGIS, PC4 densities, placing 103 wijken, all four resolutions, written to the embedded
database) took **${fmt(buildMs)} ms** (best of 3 rebuilds; the whole import of the four files with it:
${fmt(importMs)} ms). The service does that once when areas or counts are loaded, not per request.

Memory (for docs/scaling.md): the province's population surface, all four resolutions as the
service keeps it per data version, holds ${mib(surfaceBytes)} of heap (${exactHeap ? 'measured after a forced garbage collection' : 'rough: run without --expose-gc'}); the national-scale
input above (${nationalCells.x.length.toLocaleString('en-GB')} cells and ${nationalPlaces.x.length.toLocaleString('en-GB')} places as coordinate arrays) holds ${mib(nationalBytes)}.
`
if (only === 'engine') {
  console.log(engineSection)
  if (process.argv.includes('--write')) replaceSection(engineSection)
  process.exit(0)
}

// --- Network distances -------------------------------------------------------------------------
const network = await benchNetwork({
  origins: cells,
  originsLabel: 'the populated res-10 cells of the real Flevoland surface above',
})

// --- Planning: scenario preview and suggestions ------------------------------------------------
const planning = benchPlanning({
  origins: cells,
  inhabitants: surface.inhabitants,
})

// --- Load and tiles (issue 8) ----------------------------------------------------------------
const load = await benchLoad()

// --- Availability under heavy analysis (issue 16) ----------------------------------------------
const availability = await benchAvailability()

// --- Production start (issue 18) ---------------------------------------------------------------
const start = await benchStart()

// --- BENCHMARKS.md -----------------------------------------------------------------------------
const pgVersion =
  baseline.backend === 'PostgreSQL'
    ? `PostgreSQL with PostGIS ${baseline.version}`
    : `PGlite with PostGIS ${baseline.version}`
const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const report = `# Benchmarks

Written by \`npm run bench\` (scripts/bench/index.ts) on ${new Date().toISOString().slice(0, 10)}. Re-run it to refresh this file.

Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, ${os.type()} ${os.release()},
Node.js ${process.version}; baselines on ${pgVersion}${network.baseline ? ` and ${network.baseline}` : ''}. Load average
(1 min) when the run started: ${loadBefore.toFixed(2)}; other work on the machine makes the figures noisier. How fast
the machine was: sorting 2 million doubles took ${fmt(sortMs)} ms when the run started (the same code took 1.5-2x as long
on some days as on others here; compare figures of runs with similar sort times).

${engineSection}
${network.markdown}

${planning}

${load}

${availability}

${start}`
fs.writeFileSync(path.join(projectRoot, 'BENCHMARKS.md'), report)
console.log('Wrote BENCHMARKS.md')

/** Replaces one section of BENCHMARKS.md (from its heading to the next) with a new run of it. */
function replaceSection(markdown: string): void {
  const file = path.join(projectRoot, 'BENCHMARKS.md')
  const old = fs.readFileSync(file, 'utf8')
  const heading = markdown.slice(0, markdown.indexOf('\n'))
  const from = old.indexOf(heading)
  if (from < 0) throw new Error(`BENCHMARKS.md has no section "${heading}": run the full bench`)
  const next = old.indexOf('\n## ', from + heading.length)
  const measured = `_Measured again on its own (\`npm run bench -- --only ${only} --write\`) on ${new Date()
    .toISOString()
    .slice(0, 10)}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${
    process.version
  }, load average (1 min) when it started ${loadBefore.toFixed(2)}, sorting 2 million doubles took ${fmt(sortMs)} ms._\n`
  const section = `${markdown.trimEnd()}\n\n${measured}`
  fs.writeFileSync(file, old.slice(0, from) + section + (next < 0 ? '' : old.slice(next)))
  console.log(`Wrote the section "${heading}" of BENCHMARKS.md`)
}
