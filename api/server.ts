import fs from 'node:fs'
import path from 'node:path'
import { serve } from '@hono/node-server'
import { ConfigError, loadConfig, projectRoot } from './config.js'
import { assetSchemas } from './domain/asset.js'
import { migrateToLatest, openDatabase, redactUrl } from './db/create-db.js'
import { createApp } from './http/app.js'
import { consoleLogger } from './logger.js'
import { systemClock } from './services/assets.js'
import { parallelStraightLine } from './services/parallel-reach.js'
import { seedIfEmpty } from './services/seed.js'
import { SEED_FILE } from './seed-file.js'

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message)
      process.exit(1)
    }
    throw e
  }
  const log = consoleLogger(config.logLevel)
  const started = Date.now()
  log.info(
    config.databaseUrl
      ? `Opening PostgreSQL at ${redactUrl(config.databaseUrl)}`
      : fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))
        ? `Opening embedded PGlite + PostGIS in ${config.dataDir}`
        : `Creating embedded PGlite + PostGIS in ${config.dataDir} (first start: unpacking PostGIS takes about 10 s)`,
  )
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const applied = await migrateToLatest(handle.db)
  if (applied.length > 0) log.info(`Applied migrations: ${applied.join(', ')}`)
  if (config.seedOnEmpty) {
    const seeded = await seedIfEmpty(
      {
        db: handle.db,
        clock: systemClock,
        schemas: assetSchemas({ bbox: config.regionBbox, name: config.regionName }),
      },
      fs.readFileSync(SEED_FILE, 'utf8'),
    )
    if (seeded) log.info(`Empty register: loaded ${seeded.created} seed places`)
  }
  const line = parallelStraightLine()
  const webRoot = path.join(projectRoot, 'web', 'dist')
  const app = createApp({
    db: handle.db,
    backend: handle.backend,
    config,
    log,
    webRoot: fs.existsSync(path.join(webRoot, 'index.html')) ? webRoot : undefined,
    distanceMethods: { line },
  })
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info(
      `Buurtkaart (${handle.backend}) ready in ${Date.now() - started} ms on http://localhost:${info.port}`,
    )
    void app.warm()
  })

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    log.info(`${signal}: finishing open requests, then closing the database`)
    server.close(() => {
      Promise.all([line.close(), handle.close()]).then(
        () => process.exit(0),
        (e: unknown) => {
          log.error('closing the database failed', e)
          process.exit(1)
        },
      )
    })
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
