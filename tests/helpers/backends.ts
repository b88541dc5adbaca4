import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, inject } from 'vitest'
import { DEFAULT_REGION_BBOX, DEFAULT_TOKEN_MAX_DAYS } from '../../api/config.js'
import { assetSchemas } from '../../api/domain/asset.js'
import { openDatabase, type Backend, type DatabaseHandle } from '../../api/db/create-db.js'
import type { Database } from '../../api/db/database.js'
import { createApp, type App } from '../../api/http/app.js'
import type { Clock } from '../../api/domain/clock.js'
import { createAuth } from '../../api/services/auth.js'
import { createUser } from '../../api/services/users.js'
import type { Role } from '../../api/domain/roles.js'
import {
  AREA_SETS,
  needsSharedData,
  REAL_AREAS,
  requireSharedData,
  type AreaSet,
} from './real-data.js'
import { openLocalPostgres } from './local-postgres.js'
import { templateTarball } from './template-tarball.js'

export const TEST_CONFIG = {
  regionBbox: DEFAULT_REGION_BBOX,
  regionName: 'Flevoland',
  maxBodyBytes: 256 * 1024,
  // Tests change settings and reset the database between tests: never serve stale ones.
  settingsCacheMs: 0,
  writesPerMinute: 100_000,
} as const

export const testSchemas = assetSchemas({
  bbox: TEST_CONFIG.regionBbox,
  name: TEST_CONFIG.regionName,
})

/** A clock that starts at 2026-11-21 10:00 UTC and moves one second each time it is read. */
export function steppingClock(): Clock {
  let t = Date.parse('2026-11-21T10:00:00Z')
  return { now: () => new Date((t += 1000)) }
}

let onlyBackend: Backend | undefined

/**
 * Limits this test file to one backend, so a long suite can run as two files (one per backend)
 * side by side. Call it before the suite's module is imported (a dynamic import).
 */
export function testOnlyOn(backend: Backend): void {
  onlyBackend = backend
}

/** Whether this run has a PostgreSQL server to test on (TEST_DATABASE_URL is set). */
export function hasPostgres(): boolean {
  return inject('postgresTemplateUrl') !== null
}

/** The backends this run tests: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function backends(): Backend[] {
  const all: Backend[] = hasPostgres() ? ['pglite', 'postgresql'] : ['pglite']
  return onlyBackend ? all.filter((b) => b === onlyBackend) : all
}

/** The template for `areas` (or the empty one without), failing with what is missing. */
function withAreas<T>(
  areas: AreaSet | undefined,
  templates: Partial<Record<AreaSet, T>>,
  empty: T,
): T {
  if (!areas) return empty
  const template = templates[areas]
  if (template !== undefined) return template
  // Without shared/data: a test that needs it fails in CI (and here says what is missing).
  for (const name of AREA_SETS[areas]) requireSharedData(REAL_AREAS[name][0])
  throw new Error(`no template with the real areas ${areas}: restart the test run`)
}

/** The PGlite data directory to copy for a test database, with `areas` loaded if given. */
export function pgliteTemplateDir(areas?: AreaSet): string {
  return withAreas(areas, inject('pgliteAreaTemplates'), inject('pgliteTemplate'))
}

/**
 * Opens a private, migrated database for one test file, cloned from the global template.
 * `readOnly` makes it refuse writes afterwards, as a streaming replica (hot standby) does, once
 * `fill` has written what it should hold.
 */
export async function openTestDatabase(
  backend: Backend,
  options: {
    fill?: (handle: DatabaseHandle) => Promise<void>
    readOnly?: boolean
    /** Start with these real CBS areas loaded (see AREA_SETS), as loadRealAreas would. */
    areas?: AreaSet | undefined
  } = {},
): Promise<{ handle: DatabaseHandle; dispose: () => Promise<void> }> {
  const areas = options.areas
  if (backend === 'pglite') {
    // In memory, from the template's tarball: the same database as a copy of its directory,
    // without writing 130 MB to disk per test file (and PGlite's file calls after it).
    const handle = await openDatabase({
      dataDir: 'memory://',
      loadDataDir: new Blob([fs.readFileSync(templateTarball(pgliteTemplateDir(areas)))]),
    })
    await options.fill?.(handle)
    // PGlite has one session: a session setting holds for every later statement.
    if (options.readOnly) await sql`set default_transaction_read_only = on`.execute(handle.db)
    return { handle, dispose: () => handle.close() }
  }
  const emptyUrl = inject('postgresTemplateUrl')
  if (!emptyUrl) throw new Error('no PostgreSQL template')
  const templateUrl = withAreas(areas, inject('postgresAreaTemplateUrls'), emptyUrl)
  const name = `buurtkaart_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const admin = await openLocalPostgres(templateUrl.replace(/\/[^/]*$/, '/postgres'), 1)
  const template = new URL(templateUrl).pathname.slice(1)
  await sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin.db)
  const u = new URL(templateUrl)
  u.pathname = `/${name}`
  if (options.fill) {
    const writer = await openLocalPostgres(u.toString(), 2)
    await options.fill(writer).finally(() => writer.close())
  }
  // Holds for connections opened after it: the pool below.
  if (options.readOnly) {
    await sql`alter database ${sql.id(name)} set default_transaction_read_only = on`.execute(
      admin.db,
    )
  }
  const handle = await openLocalPostgres(u.toString(), 5)
  return {
    handle,
    dispose: async () => {
      await handle.close()
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db)
      await admin.close()
    },
  }
}

export interface TestContext {
  readonly backend: Backend
  readonly handle: DatabaseHandle
  /** The app called as a script with an admin API token (set `authorization` to override). */
  readonly app: App
  /** The same app called by a visitor without an account. */
  readonly anon: App
  /** The app called with an API token of an account with `role` (made on first use). */
  as(role: Role): Promise<App>
  /** The API token of the test account with `role` (made on first use). */
  token(role: Role): Promise<string>
  readonly clock: Clock
}

/** An app whose requests carry `Authorization: Bearer <token>` unless they set their own. */
export function withToken(app: App, token: () => string | Promise<string>): App {
  return new Proxy(app, {
    get(target, prop, receiver) {
      if (prop !== 'request') return Reflect.get(target, prop, receiver)
      return async (input: string | Request, init: RequestInit = {}, ...rest: unknown[]) => {
        const headers = new Headers(input instanceof Request ? input.headers : init.headers)
        if (!headers.has('authorization')) headers.set('authorization', `Bearer ${await token()}`)
        const request = input instanceof Request ? new Request(input, { headers }) : input
        const options = input instanceof Request ? init : { ...init, headers }
        return (target.request as (...a: unknown[]) => unknown)(request, options, ...rest)
      }
    },
  })
}

/** Accounts with API tokens, one per role, made on first use after each reset. */
export function testAccounts(handle: DatabaseHandle, clock: Clock) {
  const tokens = new Map<Role, Promise<string>>()
  return {
    token(role: Role): Promise<string> {
      let token = tokens.get(role)
      if (!token) {
        token = (async () => {
          const user = await createUser(
            handle.db,
            { email: `${role}@test.buurtkaart.nl`, display_name: `Test ${role}`, role },
            { actor: 'test', clock },
          )
          const auth = createAuth({ db: handle.db, clock, tokenMaxDays: DEFAULT_TOKEN_MAX_DAYS })
          return (await auth.createToken(user, { name: 'test' }, 'test')).secret
        })()
        tokens.set(role, token)
      }
      return token
    },
    forget() {
      tokens.clear()
    },
  }
}

/** The tables whose TRUNCATE trigger refuses to empty them (append-only). */
const APPEND_ONLY = ['asset_history', 'audit_log'] as const

/**
 * Empties `tables` (RESTART IDENTITY CASCADE), the append-only history and audit log too. Their
 * TRUNCATE triggers have no switch on purpose: a session setting that let them through could be
 * set by any connection of the service's role, from any code path. Turning a trigger off instead
 * needs ownership of the table (the right that could drop it anyway), is explicit DDL a DBA sees
 * in the log, and happens here inside one transaction with the TRUNCATE, so a failed reset never
 * leaves the protection off. Its ACCESS EXCLUSIVE lock is harmless in a test file's own database.
 */
export async function truncateTables(db: Database, tables: readonly string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const t of APPEND_ONLY) {
      await sql`alter table ${sql.table(t)} disable trigger ${sql.id(`${t}_no_truncate`)}`.execute(
        trx,
      )
    }
    await sql`truncate ${sql.join(tables.map((t) => sql.table(t)))} restart identity cascade`.execute(
      trx,
    )
    for (const t of APPEND_ONLY) {
      await sql`alter table ${sql.table(t)} enable trigger ${sql.id(`${t}_no_truncate`)}`.execute(
        trx,
      )
    }
  })
}

/** Empties every table, so no state is shared between tests. */
export async function resetDatabase(handle: DatabaseHandle): Promise<void> {
  await truncateTables(handle.db, [
    'scenarios',
    'audit_log',
    'proposals',
    'sessions',
    'api_tokens',
    'login_failures',
    'settings',
    'users',
    ...DATA_TABLES,
  ])
}

/** The register and everything loaded into it: places, areas and counts, surface, network. */
export const DATA_TABLES = [
  'asset_history',
  'osm_sync',
  'assets',
  'areas',
  'population_portions',
  'population_cells',
  'population_meta',
  'population_controls',
  'area_counts',
  'network_meta',
  'network_edges',
  'network_nodes',
] as const

/**
 * Runs the same suite on every backend, with one database per file and a reset before each test.
 * A result that differs between the backends is a bug.
 */
export interface SuiteOptions {
  /** The real CBS areas the database starts with (from a template made once per run). */
  readonly areas?: AreaSet | undefined
  /** Runs once per backend after the database opens (e.g. add the places the tests read). */
  readonly setup?: (ctx: TestContext) => Promise<void>
  /** Runs before each test, after the reset (e.g. add the places every test starts from). */
  readonly beforeEachHook?: (ctx: TestContext) => Promise<void>
  /** What to empty before each test: everything (default), only assets and their history, or nothing. */
  readonly reset?: 'all' | 'assets' | 'none'
  /** Configuration to use instead of TEST_CONFIG's values (e.g. a region around Delft). */
  readonly config?: Partial<Parameters<typeof createApp>[0]['config']>
}

export function describeBackends(
  name: string,
  suite: (ctx: () => TestContext) => void,
  options: SuiteOptions = {},
): void {
  describe.each(backends())(`${name} [%s]`, (backend) => {
    let ctx: TestContext | undefined
    let dispose: (() => Promise<void>) | undefined
    let forget = () => {}
    beforeAll(async () => {
      const opened = await openTestDatabase(backend, { areas: options.areas })
      dispose = opened.dispose
      const clock = steppingClock()
      const app = createApp({
        db: opened.handle.db,
        backend,
        config: { ...TEST_CONFIG, ...options.config },
        clock,
      })
      const accounts = testAccounts(opened.handle, clock)
      forget = () => accounts.forget()
      ctx = {
        backend,
        handle: opened.handle,
        clock,
        anon: app,
        app: withToken(app, () => accounts.token('admin')),
        token: (role) => accounts.token(role),
        as: async (role) => {
          const token = await accounts.token(role)
          return withToken(app, () => token)
        },
      }
    })
    afterAll(async () => {
      await dispose?.()
    })
    beforeAll(async () => {
      if (ctx) {
        // A database just made from a template with areas holds only them: nothing to empty.
        if (!options.areas) {
          await resetDatabase(ctx.handle)
          forget()
        }
        await options.setup?.(ctx)
      }
    })
    beforeEach(async () => {
      if (!ctx) return
      if (options.reset === 'none') {
        await options.beforeEachHook?.(ctx)
        return
      }
      if (options.reset === 'assets') {
        await truncateTables(ctx.handle.db, ['asset_history', 'osm_sync', 'assets'])
      } else {
        await resetDatabase(ctx.handle)
        forget()
      }
      await options.beforeEachHook?.(ctx)
    })
    suite(() => {
      if (!ctx) throw new Error('database not open')
      return ctx
    })
  })
}

/** JSON request helper for `app.request()`. */
export async function call(
  app: App,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const init: RequestInit = { method, headers: { ...headers } }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  }
  return readResponse(await app.request(url, init))
}

/** A response's status, headers, text and (when it parses) JSON. */
export async function readResponse(
  res: Response,
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, json, text }
}

/** A valid create body; override properties as needed. */
export function assetBody(
  properties: Record<string, unknown> = {},
  coordinates: [number, number] = [5.4714, 52.5185],
) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates },
    properties: { name: 'Buurthuis De Kern', kind: 'community_centre', ...properties },
  }
}

/** `set` where shared/data is there (always in CI), else none: such tests skip without it. */
export const realAreasIfShared = (set: AreaSet): AreaSet | undefined =>
  needsSharedData() ? set : undefined

export {
  AREA_SETS,
  type AreaSet,
  loadRealAreas,
  needsSharedData,
  REAL_AREAS,
  REAL_COUNTS_2024,
  requireSharedData,
  SHARED_DATA,
} from './real-data.js'
