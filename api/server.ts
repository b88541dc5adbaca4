import fs from 'node:fs'
import type { Server } from 'node:http'
import path from 'node:path'
import type { AdminSocket } from './admin/socket.js'
import { ConfigError, loadConfig, projectRoot } from './config.js'
import { DataDirInUseError } from './db/lock.js'
import { assetSchemas } from './domain/asset.js'
import { migrateToLatest, openDatabase, redactUrl, type DatabaseHandle } from './db/create-db.js'
import { awaitReplicaSchema } from './db/replica.js'
import { jsonLogger } from './logger.js'
import { systemClock } from './domain/clock.js'
import { SEED_FILE } from './seed-file.js'

/** Longest a graceful shutdown may take before open connections are dropped. */
const SHUTDOWN_TIMEOUT_MS = 25_000

/**
 * What the service needs once its database is open: the HTTP app and the start-up steps. Imported
 * while PGlite compiles and opens (most of which happens off this thread), not before it.
 */
function importService() {
  return Promise.all([
    import('./http/app.js'),
    import('./http/listen.js'),
    import('./admin/socket.js'),
    import('./services/compute/pool.js'),
    import('./services/population.js'),
    import('./services/region-data.js'),
    import('./services/seed.js'),
  ])
}

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
  const log = jsonLogger(config.logLevel)
  const started = Date.now()
  log.info(
    config.databaseUrl
      ? `Opening PostgreSQL at ${redactUrl(config.databaseUrl)}`
      : fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))
        ? `Opening embedded PGlite + PostGIS in ${config.dataDir}`
        : `Creating embedded PGlite + PostGIS in ${config.dataDir} (first start: unpacking PostGIS takes about 10 s)`,
  )
  const service = importService()
  // Awaited below; a failure to open the database is the error to report, not this one.
  service.catch(() => {})
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: config.dbPoolMax,
    purpose: 'the Buurtkaart service',
  })
  const [
    { createApp },
    { listen },
    { adminSocketPath, serveAdminSocket },
    { workerCompute },
    { ensureSurface },
    { loadRegionDataIfEmpty },
    { seedIfEmpty },
  ] = await service
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
  // An empty installation loads its region's CBS areas and counts, so the first screen already
  // shows inhabitants and gaps; an installation whose surface is of an older model rebuilds it.
  if (config.regionData) {
    const loadedAt = Date.now()
    const loaded = await loadRegionDataIfEmpty(
      { db: handle.db, clock: systemClock },
      config.regionData,
    ).catch((e: unknown) => {
      log.error(`Could not load the region data in ${config.regionData}`, e)
      return undefined
    })
    if (loaded) {
      log.info(
        `No areas yet: loaded the ${loaded.name} CBS areas and counts (${loaded.report.imported} areas, surface of ${loaded.report.surface.year ?? 'several years'}) in ${Date.now() - loadedAt} ms`,
      )
    }
  }
  const rebuilt = await handle.db.transaction().execute((trx) => ensureSurface(trx, systemClock))
  if (rebuilt)
    log.info(
      `Rebuilt the population surface with the current model (${rebuilt.source_level} counts of ${rebuilt.year ?? 'several years'})`,
    )
  // A read replica only serves reads (see AppDeps.readDb): never migrated or seeded here; it
  // follows the primary's schema and data by streaming replication.
  let readHandle: DatabaseHandle | undefined
  if (config.readDatabaseUrl) {
    log.info(`Opening the PostgreSQL read replica at ${redactUrl(config.readDatabaseUrl)}`)
    readHandle = await openDatabase({
      databaseUrl: config.readDatabaseUrl,
      maxConnections: config.readDbPoolMax,
    })
    await awaitReplicaSchema(handle.db, readHandle.db)
  }
  // Heavy analysis runs on worker threads: the event loop stays free for every other request.
  const compute = workerCompute({
    threads: config.analysisThreads,
    maxQueue: config.analysisQueue,
  })
  const webRoot = path.join(projectRoot, 'web', 'dist')
  const app = createApp({
    db: handle.db,
    readDb: readHandle?.db,
    backend: handle.backend,
    config,
    log,
    webRoot: fs.existsSync(path.join(webRoot, 'index.html')) ? webRoot : undefined,
    compute,
  })
  // On the embedded database the command-line tools run their commands in this process.
  let admin: AdminSocket | undefined
  if (handle.lock) {
    admin = await serveAdminSocket(
      adminSocketPath(config.dataDir),
      { handle, config, clock: systemClock },
      log,
    )
  }
  const server = listen(app, { port: config.port, hostname: config.host }, (info) => {
    const url = `http://localhost:${info.port}`
    handle.lock?.update({ adminSocket: admin?.path, url })
    log.info(`Buurtkaart (${handle.backend}) ready in ${Date.now() - started} ms on ${url}`)
    void app.warm()
  })

  // Graceful shutdown: stop accepting, let open requests finish, drop idle keep-alive
  // connections (they would hold server.close() open), then close the pool. A hard limit keeps
  // a stuck request or database from holding the process (and a rolling deploy) for ever.
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    const begun = Date.now()
    log.info(`${signal}: no new connections; finishing open requests, then closing the database`)
    const http = server as Partial<Pick<Server, 'closeIdleConnections' | 'closeAllConnections'>>
    const hardStop = setTimeout(() => {
      log.error(
        `Shutdown not done after ${SHUTDOWN_TIMEOUT_MS / 1000} s: dropping the open connections and exiting`,
      )
      http.closeAllConnections?.()
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS)
    hardStop.unref()
    // A keep-alive connection whose request finishes after close() turns idle, not closed.
    const idle = setInterval(() => http.closeIdleConnections?.(), 100)
    idle.unref()
    server.close(() => {
      clearInterval(idle)
      log.info(`Open requests finished after ${Date.now() - begun} ms; closing the database pool`)
      Promise.all([compute.close(), admin?.close(), handle.close(), readHandle?.close()]).then(
        () => {
          log.info('Database pool closed; exiting')
          process.exit(0)
        },
        (e: unknown) => {
          log.error('closing the database failed', e)
          process.exit(1)
        },
      )
    })
    http.closeIdleConnections?.()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((e: unknown) => {
  if (e instanceof DataDirInUseError) {
    console.error(e.message)
    process.exit(1)
  }
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
