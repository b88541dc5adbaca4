/**
 * Start (issue 18): how long `npm start` takes until the service answers, on the embedded
 * database with the shipped Flevoland region data. The first start of a fresh install and data
 * directory builds nothing (the build is made first, as a deploy would), cuts the PostGIS core
 * bundle (see api/db/postgis-bundle.ts), unpacks PostGIS and loads the region; every warm start
 * after it finds the build up to date and the data directory present.
 * Timed from spawning `node scripts/start.mjs` (what `npm start` runs, without npm's own start-up)
 * to the first 200 of GET /api/health, polled every 20 ms; the service is stopped with SIGTERM
 * between starts.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../../api/config.js'
import { POSTGIS_CACHE_DIR } from '../../api/db/postgis-bundle.js'
import { freePort } from './load.js'
import { fmt, stats } from './network.js'

const WARM_STARTS = 7
const GOAL_MS = 3000

/** Milliseconds from spawn to the first healthy answer; the process is stopped afterwards. */
async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      BUURTKAART_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`)
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
        .then((r) => r.status === 200)
        .catch(() => false)
      if (ok) return performance.now() - started
      if (performance.now() - started > 300_000) throw new Error('npm start never became ready')
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

export async function benchStart(): Promise<string> {
  console.log('Start: building, then one first start and warm starts of the embedded database…')
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-changed'], {
    cwd: projectRoot,
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new Error('npm run build failed')
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-bench-start-')), 'db')
  // The first start as after a fresh install: the PostGIS core bundle is cut during it.
  fs.rmSync(POSTGIS_CACHE_DIR, { recursive: true, force: true })
  const first = await timeStart(dataDir)
  const warm: number[] = []
  for (let i = 0; i < WARM_STARTS; i++) warm.push(await timeStart(dataDir))
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true })
  const s = stats(warm)
  console.log(`  first start ${fmt(first)} ms; warm p50 ${fmt(s.p50)} ms`)
  return `## Start (issue 18: production start)

\`npm start\` (\`node scripts/start.mjs\`) on the embedded database with the shipped Flevoland
region data, from spawning the process to the first 200 of \`GET /api/health\` (polled every
20 ms); stopped with SIGTERM between starts. The build is made first, as a deploy would
(\`npm run build\`); each start checks that it is up to date (a walk over the source tree's file
times) and runs the built server with plain Node.

| what | runs | p50 | min | max | goal | result |
|---|---:|---:|---:|---:|---|---|
| first start of a fresh install and data directory (cut the PostGIS core bundle, unpack PostGIS, migrate, load the region's CBS areas and counts, build the population surface) | 1 | ${fmt(first)} ms | | | | |
| warm start (built, data directory present) | ${warm.length} | ${fmt(s.p50)} ms | ${fmt(s.min)} ms | ${fmt(s.max)} ms | ≤ ${GOAL_MS} ms | ${s.p50 <= GOAL_MS ? 'met' : '**missed**'} |
`
}
