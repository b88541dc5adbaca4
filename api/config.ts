import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { parseBbox, type Bbox } from './domain/geo.js'

/**
 * The project root: the nearest folder above this file with a package.json (`api/..` when run
 * from source, `dist/api/../..` when run from the build).
 */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)))

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return path.resolve(from, '..')
  }
}

/** Flevoland's land extent (lon 5.13–5.93, lat 52.27–52.87) plus about 10 km on every side. */
export const DEFAULT_REGION_BBOX: Bbox = [4.95, 52.18, 6.1, 52.95]

/** PDOK's OGC API Features of the CBS Wijk- en Buurtkaart, per year. */
export const DEFAULT_PDOK_URL = 'https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1'
/** The main public Overpass API instance. */
export const DEFAULT_OVERPASS_URL = 'https://overpass-api.de/api/interpreter'
/** The longest an API token lives, in days, unless BUURTKAART_TOKEN_MAX_DAYS says otherwise. */
export const DEFAULT_TOKEN_MAX_DAYS = 365

export interface Config {
  readonly port: number
  readonly host: string
  /** When set, a real PostgreSQL + PostGIS; otherwise embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined
  /**
   * A streaming read replica of `databaseUrl` for reads that may lag a moment (lists, exports,
   * areas, analysis, reports, tiles); unset means every read goes to `databaseUrl`.
   */
  readonly readDatabaseUrl: string | undefined
  /** Connections in the primary's pool (PostgreSQL only). */
  readonly dbPoolMax: number
  /** Connections in the read replica's pool. */
  readonly readDbPoolMax: number
  readonly dataDir: string
  /** Points outside this box are refused: [minLon, minLat, maxLon, maxLat], EPSG:4326. */
  readonly regionBbox: Bbox
  readonly regionName: string
  readonly maxBodyBytes: number
  readonly seedOnEmpty: boolean
  /** A home or place farther than this (m) from any usable path is off the network. */
  readonly snapLimitM: number
  /** Average wait (minutes) added to a ferry crossing, turned into metres per mode. */
  readonly ferryPenaltyMin: number
  /**
   * Largest OpenStreetMap file the admin import endpoint accepts, and the most any OpenStreetMap
   * import (endpoint, npm run import:osm, data downloads) or download may unpack to: reading stops
   * there.
   */
  readonly maxOsmBytes: number
  /** Behind a reverse proxy: take the client address and HTTPS from X-Forwarded-* headers. */
  readonly trustProxy: boolean
  /** State-changing requests per account (or address) per minute. */
  readonly writesPerMinute: number
  /** How long an instance keeps the run-time settings before reading them again. */
  readonly settingsCacheMs: number
  /** Worker threads for heavy analysis (suggestions, scenarios, network distances). */
  readonly analysisThreads: number
  /** Heavy tasks that may wait for a thread; more are answered 503 with Retry-After at once. */
  readonly analysisQueue: number
  /**
   * The address the public reaches the service at (`https://buurtkaart.example.nl`), for the
   * absolute URLs it hands out (tile URLs in TileJSON, permalinks and QR code in reports).
   * Unset: TileJSON's URLs are relative to the service's root, never copied from a request's
   * Host header; a report, which must print absolute links, makes them from the request and is
   * then sent `private, no-store` so that no shared cache keeps them.
   */
  readonly publicUrl: string | undefined
  /**
   * Where people reach the organisation that runs this map about its accessibility (and
   * anything else): an e-mail address or an https address, named in the accessibility
   * statement at /toegankelijkheid. Unset: the statement says to contact whoever shared the map.
   */
  readonly contact: string | undefined
  /**
   * The region data an empty installation loads on its first start (a directory with a
   * region.json, default data/region/flevoland); undefined: none.
   */
  readonly regionData: string | undefined
  /** The longest an API token lives (days); a token may ask for less, never more. */
  readonly tokenMaxDays: number
  /** PDOK OGC API Features of the CBS Wijk- en Buurtkaart; `{year}` is replaced. */
  readonly pdokUrl: string
  /** An Overpass API interpreter endpoint. */
  readonly overpassUrl: string
  readonly logLevel: 'silent' | 'error' | 'info' | 'debug'
}

const boolString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  BUURTKAART_READ_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  BUURTKAART_DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  BUURTKAART_READ_DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  BUURTKAART_DATA_DIR: z.string().min(1).optional(),
  BUURTKAART_REGION_BBOX: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return DEFAULT_REGION_BBOX
      const bbox = parseBbox(v)
      if (!bbox) {
        ctx.addIssue({ code: 'custom', message: 'must be minLon,minLat,maxLon,maxLat in degrees' })
        return z.NEVER
      }
      return bbox
    }),
  BUURTKAART_REGION_NAME: z.string().min(1).default('Flevoland'),
  BUURTKAART_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  BUURTKAART_SEED: boolString.default(true),
  BUURTKAART_SNAP_LIMIT_M: z.coerce.number().min(1).max(5000).default(500),
  BUURTKAART_FERRY_PENALTY_MIN: z.coerce.number().min(0).max(240).default(5),
  BUURTKAART_MAX_OSM_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024 * 1024),
  BUURTKAART_TRUST_PROXY: boolString.default(false),
  BUURTKAART_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  BUURTKAART_SETTINGS_CACHE_MS: z.coerce.number().int().min(0).default(2000),
  BUURTKAART_ANALYSIS_THREADS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(1, Math.min(4, os.availableParallelism() - 1))),
  BUURTKAART_ANALYSIS_QUEUE: z.coerce.number().int().min(0).max(10_000).default(16),
  BUURTKAART_REGION_DATA: z.string().min(1).default('data/region/flevoland'),
  BUURTKAART_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .transform((v) => v?.replace(/\/+$/, '')),
  BUURTKAART_CONTACT: z
    .union([z.email(), z.url({ protocol: /^https?$/ })], {
      error: 'must be an e-mail address or an http(s) address',
    })
    .optional(),
  BUURTKAART_TOKEN_MAX_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(DEFAULT_TOKEN_MAX_DAYS),
  BUURTKAART_PDOK_URL: z
    .url()
    .default(DEFAULT_PDOK_URL)
    .refine((v) => v.includes('{year}'), 'must contain {year}'),
  BUURTKAART_OVERPASS_URL: z.url().default(DEFAULT_OVERPASS_URL),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
})

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** A value as an error message may show it: a database URL's password replaced by ***. */
function withoutPassword(value: string | undefined): string | undefined {
  return value?.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@')
}

/**
 * Reads and validates the configuration from an environment. The only reader of environment
 * variables in the service; a bad value fails fast with a message naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema
    .superRefine((e, ctx) => {
      // A replica copies a PostgreSQL primary: embedded PGlite has none.
      if (e.BUURTKAART_READ_DATABASE_URL && !e.DATABASE_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['BUURTKAART_READ_DATABASE_URL'],
          message:
            'needs DATABASE_URL: a read replica copies a PostgreSQL primary (embedded PGlite has none)',
        })
      }
    })
    .safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) =>
        `  ${i.path.join('.')}=${JSON.stringify(withoutPassword(env[String(i.path[0])]))}: ${i.message}`,
    )
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    readDatabaseUrl: e.BUURTKAART_READ_DATABASE_URL,
    dbPoolMax: e.BUURTKAART_DB_POOL_MAX,
    readDbPoolMax: e.BUURTKAART_READ_DB_POOL_MAX,
    dataDir: path.resolve(e.BUURTKAART_DATA_DIR ?? path.join(projectRoot, 'var', 'pglite')),
    regionBbox: e.BUURTKAART_REGION_BBOX,
    regionName: e.BUURTKAART_REGION_NAME,
    maxBodyBytes: e.BUURTKAART_MAX_BODY_BYTES,
    seedOnEmpty: e.BUURTKAART_SEED,
    snapLimitM: e.BUURTKAART_SNAP_LIMIT_M,
    ferryPenaltyMin: e.BUURTKAART_FERRY_PENALTY_MIN,
    maxOsmBytes: e.BUURTKAART_MAX_OSM_BYTES,
    trustProxy: e.BUURTKAART_TRUST_PROXY,
    writesPerMinute: e.BUURTKAART_WRITES_PER_MINUTE,
    settingsCacheMs: e.BUURTKAART_SETTINGS_CACHE_MS,
    analysisThreads: e.BUURTKAART_ANALYSIS_THREADS,
    analysisQueue: e.BUURTKAART_ANALYSIS_QUEUE,
    publicUrl: e.BUURTKAART_PUBLIC_URL,
    contact: e.BUURTKAART_CONTACT,
    regionData:
      e.BUURTKAART_REGION_DATA === 'none'
        ? undefined
        : path.resolve(projectRoot, e.BUURTKAART_REGION_DATA),
    tokenMaxDays: e.BUURTKAART_TOKEN_MAX_DAYS,
    pdokUrl: e.BUURTKAART_PDOK_URL,
    overpassUrl: e.BUURTKAART_OVERPASS_URL,
    logLevel: e.LOG_LEVEL,
  })
}
