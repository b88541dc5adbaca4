import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { create as createTar } from 'tar'
import type { TestProject } from 'vitest/node'
import { projectRoot } from '../../api/config.js'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../api/db/create-db.js'
import { AREA_SETS, loadRealAreas, REAL_AREAS, SHARED_DATA, type AreaSet } from './real-data.js'
import { openLocalPostgres } from './local-postgres.js'
import { templateTarball } from './template-tarball.js'
import { buildWebApp } from './web-build.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplateUrl: string | null
    /** Per set of real areas, a PGlite template with them loaded (absent without shared/data). */
    pgliteAreaTemplates: Partial<Record<AreaSet, string>>
    postgresAreaTemplateUrls: Partial<Record<AreaSet, string>>
    /** The built web app (browser tests only; null elsewhere). */
    webRoot: string | null
  }
}

/**
 * What the projects' set-ups build, made once per run: the set-ups run in this one process, in
 * parallel, and would otherwise each build the same templates.
 */
const built = ((
  globalThis as { __buurtkaartTemplates?: Map<string, Promise<unknown>> }
).__buurtkaartTemplates ??= new Map<string, Promise<unknown>>())
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let value = built.get(key) as Promise<T> | undefined
  if (!value) built.set(key, (value = make()))
  return value
}

const hash = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest('hex').slice(0, 12)
}

/** The checkout's path is part of the server's database names: two checkouts can share a server. */
const CHECKOUT = hash(projectRoot).slice(0, 8)

/** Every file under `dir` ending in `.ts`, read, in a stable order. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
}

/** What a migrated empty template depends on: the PGlite version and the migrations. */
function emptyKey(): string {
  const pglite = JSON.parse(
    fs.readFileSync(
      path.join(projectRoot, 'node_modules/@electric-sql/pglite/package.json'),
      'utf8',
    ),
  ) as { version: string }
  return hash(pglite.version, ...sources(path.join(projectRoot, 'api/db/migrations')))
}

/**
 * A PGlite data directory in .cache, made by `fill` unless a run already made it, and the same
 * as a tarball beside it (templateTarball): openTestDatabase starts a test database in memory from
 * that, without copying the directory on disk.
 */
async function cachedDir(name: string, fill: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(projectRoot, '.cache', name)
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    const building = `${dir}.building-${process.pid}`
    fs.rmSync(building, { recursive: true, force: true })
    await fill(building)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.renameSync(building, dir)
  }
  const tarball = templateTarball(dir)
  if (!fs.existsSync(tarball)) {
    const building = `${tarball}.building-${process.pid}`
    await createTar({ file: building, cwd: dir, portable: true }, fs.readdirSync(dir))
    fs.renameSync(building, tarball)
  }
  return dir
}

/** A migrated PGlite data directory, built once per set of migrations and copied per test file. */
function pgliteTemplate(): Promise<string> {
  return once('pglite', () =>
    cachedDir(`pglite-template-${emptyKey()}`, async (dir) => {
      const handle = await openDatabase({ dataDir: dir })
      await migrateToLatest(handle.db).finally(() => handle.close())
    }),
  )
}

/** A template clock: the areas' import time is the same in every run. */
const templateClock = () => {
  let t = Date.parse('2026-11-21T09:00:00Z')
  return { now: () => new Date((t += 1000)) }
}

async function fillWithAreas(handle: DatabaseHandle, set: AreaSet): Promise<void> {
  await loadRealAreas(handle, templateClock(), AREA_SETS[set])
}

/**
 * The empty template with a set of real areas loaded, as a test's set-up would load them. Cached
 * by everything the result depends on: the empty template, the code that imports (all of api/)
 * and the data files.
 */
function pgliteAreaTemplate(set: AreaSet): Promise<string> {
  return once(`pglite:${set}`, async () => {
    const empty = await pgliteTemplate()
    const data = AREA_SETS[set].map((name) =>
      fs.readFileSync(path.join(SHARED_DATA, REAL_AREAS[name][0])),
    )
    const key = hash(emptyKey(), ...sources(path.join(projectRoot, 'api')), ...data)
    return cachedDir(`pglite-areas-${set.replace('+', '-')}-${key}`, async (dir) => {
      fs.cpSync(empty, dir, { recursive: true })
      const handle = await openDatabase({ dataDir: dir })
      await fillWithAreas(handle, set).finally(() => handle.close())
    })
  })
}

/** Creates database `name` on the server of `url` (dropping an old one), from `template` if given. */
async function createDatabase(url: string, name: string, template?: string): Promise<string> {
  const admin = await openLocalPostgres(url, 1)
  try {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db)
    await (
      template
        ? sql`create database ${sql.id(name)} template ${sql.id(template)}`
        : sql`create database ${sql.id(name)}`
    ).execute(admin.db)
  } finally {
    await admin.close()
  }
  return withDatabase(url, name)
}

/** A migrated template database on the PostgreSQL server named by TEST_DATABASE_URL. */
function postgresTemplate(url: string): Promise<string> {
  return once('postgres', async () => {
    const templateUrl = await createDatabase(url, `buurtkaart_test_template_${CHECKOUT}`)
    const handle = await openLocalPostgres(templateUrl, 1)
    await migrateToLatest(handle.db).finally(() => handle.close())
    return templateUrl
  })
}

/** The server's template with a set of real areas loaded. */
function postgresAreaTemplate(url: string, set: AreaSet): Promise<string> {
  return once(`postgres:${set}`, async () => {
    const empty = new URL(await postgresTemplate(url)).pathname.slice(1)
    const name = `buurtkaart_test_areas_${CHECKOUT}_${set.replace('+', '_')}`
    const templateUrl = await createDatabase(url, name, empty)
    const handle = await openLocalPostgres(templateUrl, 2)
    await fillWithAreas(handle, set).finally(() => handle.close())
    return templateUrl
  })
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/** Each set's template, built one after the other (each load is a few seconds of this thread). */
async function perSet(make: (set: AreaSet) => Promise<string>) {
  const out: Partial<Record<AreaSet, string>> = {}
  for (const set of Object.keys(AREA_SETS) as AreaSet[]) out[set] = await make(set)
  return out
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL
  if (!url && process.env.CI) {
    throw new Error(
      'TEST_DATABASE_URL must be set in CI: the integration suite runs on PGlite and PostgreSQL.',
    )
  }
  // Without shared/data there are no real areas to load; a test that needs them says so (and
  // fails in CI) when it opens its database.
  const realData = fs.existsSync(SHARED_DATA)
  const [pglite, postgres, pgliteAreas, postgresAreas, webRoot] = await Promise.all([
    pgliteTemplate(),
    url ? postgresTemplate(url) : null,
    realData ? perSet(pgliteAreaTemplate) : {},
    realData && url ? perSet((set) => postgresAreaTemplate(url, set)) : {},
    // Built once here, beside the templates, not by each browser test file that starts first.
    project.name === 'e2e' ? once('web', buildWebApp) : null,
  ])
  project.provide('pgliteTemplate', pglite)
  project.provide('postgresTemplateUrl', postgres)
  project.provide('pgliteAreaTemplates', pgliteAreas)
  project.provide('postgresAreaTemplateUrls', postgresAreas)
  project.provide('webRoot', webRoot)
}
