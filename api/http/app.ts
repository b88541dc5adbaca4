import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { except } from 'hono/combine'
import path from 'node:path'
import {
  DEFAULT_OVERPASS_URL,
  DEFAULT_PDOK_URL,
  DEFAULT_TOKEN_MAX_DAYS,
  type Config,
} from '../config.js'
import { assetSchemas } from '../domain/asset.js'
import type { Backend } from '../db/create-db.js'
import type { Database } from '../db/database.js'
import { createAssetService } from '../services/assets.js'
import { systemClock, type Clock } from '../domain/clock.js'
import type { DistanceMethod, Mode } from '../domain/reach.js'
import { FIGURE_RESOLUTION } from '../domain/surface.js'
import { silentLogger, type Logger } from '../logger.js'
import { createAnalysis } from '../services/analysis.js'
import { computeStraightLine } from '../services/compute/line.js'
import { inlineCompute, type Compute } from '../services/compute/pool.js'
import { createNetworks } from '../services/network.js'
import { analysisRoutes } from './analysis.js'
import { planningRoutes } from './planning.js'
import { reportRoutes } from './reports.js'
import { tileRoutes } from './tiles.js'
import { webAppFiles } from './web-files.js'
import { compressJson } from './compress.js'
import { createTiles } from '../services/tiles.js'
import { createPlanning } from '../services/planning.js'
import { areaRoutes } from './areas.js'
import { assetRoutes } from './assets.js'
import { metaRoutes } from './meta.js'
import { statementRoutes } from './statement.js'
import { networkRoutes } from './network.js'
import { dataRoutes } from './data.js'
import { createDownloadJobs } from '../services/download/jobs.js'
import type { Fetcher } from '../services/download/http.js'
import os from 'node:os'
import { fromZod, toProblem, tooLarge } from './problem.js'
import { notFoundHandler } from './routes.js'
import { refuseUnstorableJson, refuseUnstorableUrl } from './text-guard.js'
import { transferRoutes } from './transfer.js'
import { openApiDocumentSchema } from './contract.js'
import { DOCUMENT, documentMiddlewareAnswers, jsonResponse, versionOneDocument } from './openapi.js'
import { API_BASE, apiVersionHeader, deprecatedAlias } from './version.js'
import { ogcRoutes } from './ogc.js'
import { createFeatures } from '../services/features.js'
import type { Context } from 'hono'
import { accountRoutes } from './accounts.js'
import { proposalRoutes } from './proposals.js'
import { authenticate } from './principal.js'
import type { AppEnv } from './env.js'
import { privateWhenSignedIn, RateLimiter, securityHeaders, writeRateLimit } from './security.js'
import { createAuth } from '../services/auth.js'
import { createProposals } from '../services/proposals.js'
import { settingsCache } from '../services/settings.js'

export type { AppEnv } from './env.js'

export type { Logger } from '../logger.js'

export interface AppDeps {
  /** The primary database: every write, and reads that must see them at once. */
  readonly db: Database
  /**
   * Where reads that may lag a little (lists, exports, tiles, analysis inputs) go: a streaming
   * read replica when one is configured (`BUURTKAART_READ_DATABASE_URL`), otherwise `db`.
   */
  readonly readDb?: Database
  readonly backend: Backend
  readonly config: Pick<Config, 'regionBbox' | 'regionName' | 'maxBodyBytes'> &
    Partial<
      Pick<
        Config,
        | 'snapLimitM'
        | 'ferryPenaltyMin'
        | 'maxOsmBytes'
        | 'trustProxy'
        | 'writesPerMinute'
        | 'settingsCacheMs'
        | 'dataDir'
        | 'pdokUrl'
        | 'overpassUrl'
        | 'publicUrl'
        | 'contact'
        | 'tokenMaxDays'
      >
    >
  /** How data downloads reach the network (tests pass a local replay). */
  readonly fetcher?: Fetcher
  readonly clock?: Clock
  readonly log?: Logger
  /** Directory of the built web app to serve at `/`; absent in API-only tests. */
  readonly webRoot?: string | undefined
  /** Distance methods by mode: straight line, and walk and bike over the stored network. */
  readonly distanceMethods?: Partial<Record<Mode, DistanceMethod>>
  /**
   * Where heavy analysis runs: the service passes a pool of worker threads (workerCompute), so
   * no request holds up the event loop; default: this thread (tests, scripts).
   */
  readonly compute?: Compute
  /** Bytes of encoded vector tiles kept in memory (default 64 MB; 0 for uncached benchmarks). */
  readonly tileCacheBytes?: number
}

/** Builds the HTTP app from its dependencies; tests call `app.request()` without a port. */
export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock
  const log = deps.log ?? silentLogger
  // Which database answers what, when a read replica is configured (BUURTKAART_READ_DATABASE_URL):
  // - `reads` (the replica): bulk and public reads where a moment's lag is harmless and nothing
  //   needs to see its own write: the asset list and bbox queries, the GeoJSON/CSV exports, areas,
  //   the analysis (coverage, density, planning figures, its walk/bike networks), the gap reports
  //   and the tiles. A cached result is keyed on the data version read from that same database,
  //   so data and version can never come from two databases.
  // - `deps.db` (the primary): every write, and every read that must see a write at once or
  //   guards one: one asset (its ETag is the If-Match of the next edit, and an editor reloads it
  //   right after saving), history and /changes, proposals, accounts, sessions, tokens and
  //   authentication, settings, audit, scenarios (read back right after they are saved), imports
  //   and downloads, and /api/meta's health check. Migrations and seeding run on the primary only.
  const reads = deps.readDb ?? deps.db
  const schemas = assetSchemas({ bbox: deps.config.regionBbox, name: deps.config.regionName })
  const assets = createAssetService({ db: deps.db, clock })
  const compute = deps.compute ?? inlineCompute()
  const networks = createNetworks({
    db: reads,
    snapLimitM: deps.config.snapLimitM ?? 500,
    compute,
  })
  const analysis = createAnalysis({
    db: reads,
    clock,
    methods: {
      line: computeStraightLine(compute),
      ...networks.methods,
      ...deps.distanceMethods,
    },
    regionName: deps.config.regionName,
    networks,
    compute,
  })

  const auth = createAuth({
    db: deps.db,
    clock,
    tokenMaxDays: deps.config.tokenMaxDays ?? DEFAULT_TOKEN_MAX_DAYS,
  })
  const proposals = createProposals({ db: deps.db, clock })
  const settings = settingsCache(deps.db, deps.config.settingsCacheMs ?? 2000)
  const trustProxy = deps.config.trustProxy ?? false

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      // The validator passes the raw input as `data` on failure too; its type leaves it out.
      if (!result.success)
        throw fromZod(result.error, result.target, (result as { data?: unknown }).data)
    },
  })

  app.onError((err, c) =>
    toProblem(err, c, (e) =>
      log.error('request failed', e, {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
      }),
    ),
  )
  app.notFound(notFoundHandler(app))

  const jsonLimit = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: () => {
      throw tooLarge()
    },
  })
  // An OpenStreetMap file is far larger than any JSON body; its route streams it to disk with
  // its own limit (BUURTKAART_MAX_OSM_BYTES).
  // One JSON line per request: its id (X-Request-Id, also in the answer), method, path (no query
  // string, headers or body), status and duration.
  app.use('*', requestId())
  app.use('*', async (c, next) => {
    const start = performance.now()
    await next()
    log.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - start),
    })
  })
  app.use('*', apiVersionHeader())
  app.use('*', deprecatedAlias())
  app.use('*', securityHeaders(trustProxy))
  app.use('/api/*', compressJson)
  const osmUpload = ['/api/network/import', `${API_BASE}/network/import`]
  const fileUploads = ['/api/import', `${API_BASE}/import`, ...osmUpload]
  app.use('/api/*', except(osmUpload, jsonLimit))
  const authn = authenticate({ auth, settings: settings.get, trustProxy })
  // Before authentication, so it also marks the answer when a signed-in request is refused.
  for (const paths of ['/api/*', '/reports/*', '/tiles/*']) {
    app.use(paths, privateWhenSignedIn())
    app.use(paths, authn)
  }
  app.use('/api/*', writeRateLimit(new RateLimiter(deps.config.writesPerMinute ?? 120)))
  // After sign-in, so that a visitor without access hears 401 first. File uploads are left to
  // their importers, which report a bad value per row.
  app.use('*', refuseUnstorableUrl(app))
  app.use('/api/*', except(fileUploads, refuseUnstorableJson()))

  // Version 1 of the API at /api/v1; the same routes at their unversioned paths (/api, /tiles,
  // /reports) as deprecated aliases (api/http/version.ts), documented as such in the OpenAPI
  // document's description and marked in every answer.
  const planning = createPlanning(analysis)
  const tiles = createTiles({
    db: reads,
    backend: deps.backend,
    analysis,
    cacheBytes: deps.tileCacheBytes,
  })
  const tileRoutesAt = (base: string) =>
    tileRoutes({
      analysis,
      tiles,
      clock,
      regionBbox: deps.config.regionBbox,
      publicUrl: deps.config.publicUrl,
      base,
    })
  const jobs = createDownloadJobs({
    db: deps.db,
    clock,
    schemas,
    fetcher: deps.fetcher ?? fetch,
    cacheDir: deps.config.dataDir
      ? path.join(path.dirname(deps.config.dataDir), 'downloads')
      : path.join(os.tmpdir(), 'buurtkaart-downloads'),
    regionBbox: deps.config.regionBbox,
    ferryPenaltyMin: deps.config.ferryPenaltyMin ?? 5,
    maxBytes: deps.config.maxOsmBytes,
  })
  const apiRoutes = [
    metaRoutes({ db: deps.db, backend: deps.backend }),
    accountRoutes({ db: deps.db, auth, clock, trustProxy, settings }),
    proposalRoutes({ proposals, schemas, clock, trustProxy }),
    assetRoutes({
      assets,
      reads: createAssetService({ db: reads, clock }),
      schemas,
      proposals,
      clock,
    }),
    areaRoutes({ db: reads }),
    analysisRoutes({ analysis, clock }),
    planningRoutes({ db: deps.db, analysis, planning, clock, regionBbox: deps.config.regionBbox }),
    networkRoutes({ db: deps.db, clock, schemas, config: deps.config }),
    dataRoutes({
      db: deps.db,
      jobs,
      pdokUrl: deps.config.pdokUrl ?? DEFAULT_PDOK_URL,
      overpassUrl: deps.config.overpassUrl ?? DEFAULT_OVERPASS_URL,
    }),
  ]
  const reports = reportRoutes({
    db: deps.db,
    reads,
    analysis,
    planning,
    networks,
    clock,
    publicUrl: deps.config.publicUrl,
    trustProxy: deps.config.trustProxy ?? false,
  })
  for (const routes of apiRoutes) app.route(API_BASE, routes)
  app.route(
    API_BASE,
    transferRoutes({
      db: deps.db,
      reads,
      clock,
      schemas,
      exportPaths: { geojson: '/exports/assets.geojson', csv: '/exports/assets.csv' },
    }),
  )
  app.route(`${API_BASE}/reports`, reports)
  app.route(`${API_BASE}/tiles`, tileRoutesAt(`${API_BASE}/tiles`))
  app.route(
    `${API_BASE}/ogc`,
    ogcRoutes({
      features: createFeatures({ db: reads, analysis, clock }),
      clock,
      publicUrl: deps.config.publicUrl,
    }),
  )
  for (const routes of apiRoutes) app.route('/api', routes)
  app.route('/api', transferRoutes({ db: deps.db, reads, clock, schemas }))
  app.route('/reports', reports)
  app.route('/tiles', tileRoutesAt('/tiles'))
  // The accessibility statement (toegankelijkheidsverklaring): a page for people, not the API.
  app.route(
    '/',
    statementRoutes({ publicUrl: deps.config.publicUrl, contact: deps.config.contact }),
  )

  if (deps.webRoot) {
    const web = webAppFiles(deps.webRoot)
    // After the API routes: only paths they did not answer reach the files.
    app.use('/*', web.files)
    app.get('/', web.index)
  }

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: `${API_BASE}/openapi.json`,
    summary: 'This document',
    description: 'Also at /api/openapi.json. Any origin may read it (CORS).',
    responses: { 200: jsonResponse('OpenAPI 3.1', openApiDocumentSchema) },
  })
  documentMiddlewareAnswers(app.openAPIRegistry)
  let document: unknown
  const serveDocument = (c: Context) => {
    document ??= versionOneDocument(app.getOpenAPI31Document(DOCUMENT))
    c.header('Access-Control-Allow-Origin', '*')
    return c.json(document)
  }
  app.get(`${API_BASE}/openapi.json`, serveDocument)
  app.get('/api/openapi.json', serveDocument)

  return Object.assign(app, {
    /** Loads the default resolution and the networks in the background; silent when nothing is loaded yet. */
    warm: () =>
      Promise.all([
        analysis.warm(FIGURE_RESOLUTION),
        networks.networkFor('walk'),
        networks.networkFor('bike'),
      ]).then(
        () => {},
        () => {},
      ),
  })
}

export type App = ReturnType<typeof createApp>
