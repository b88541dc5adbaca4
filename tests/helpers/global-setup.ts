import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { TestProject } from 'vitest/node'
import { projectRoot } from '../../api/config.js'
import { migrateToLatest, openDatabase } from '../../api/db/create-db.js'
import { migrations } from '../../api/db/migrations/index.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplateUrl: string | null
  }
}

/**
 * The template database of one Vitest project (each project sets up its own, in parallel). The
 * checkout's path is part of the name, so two checkouts can run their suites on one server.
 */
export const postgresTemplateDb = (project: string) =>
  `buurtkaart_test_template_${createHash('sha256').update(projectRoot).digest('hex').slice(0, 8)}_${project.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`

/** A migrated PGlite data directory, built once per set of migrations and copied per test file. */
async function pgliteTemplate(project: string): Promise<string> {
  const pglite = JSON.parse(
    fs.readFileSync(
      path.join(projectRoot, 'node_modules/@electric-sql/pglite/package.json'),
      'utf8',
    ),
  ) as { version: string }
  const migrationSource = Object.keys(migrations)
    .map((name) =>
      fs.readFileSync(path.join(projectRoot, 'api/db/migrations', `${name}.ts`), 'utf8'),
    )
    .join('\n')
  const key = createHash('sha256')
    .update(pglite.version)
    .update(migrationSource)
    .digest('hex')
    .slice(0, 12)
  const dir = path.join(projectRoot, '.cache', `pglite-template-${key}`)
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir
  const building = `${dir}.building-${process.pid}-${project}`
  fs.rmSync(building, { recursive: true, force: true })
  const handle = await openDatabase({ dataDir: building })
  await migrateToLatest(handle.db)
  await handle.close()
  fs.rmSync(dir, { recursive: true, force: true })
  fs.renameSync(building, dir)
  return dir
}

/** A migrated template database on the PostgreSQL server named by TEST_DATABASE_URL. */
async function postgresTemplate(url: string, name: string): Promise<string> {
  const admin = await openDatabase({ databaseUrl: url, maxConnections: 1 })
  try {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db)
    await sql`create database ${sql.id(name)}`.execute(admin.db)
  } finally {
    await admin.close()
  }
  const templateUrl = withDatabase(url, name)
  const handle = await openDatabase({ databaseUrl: templateUrl, maxConnections: 1 })
  try {
    await migrateToLatest(handle.db)
  } finally {
    await handle.close()
  }
  return templateUrl
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL
  if (!url && process.env.CI) {
    throw new Error(
      'TEST_DATABASE_URL must be set in CI: the integration suite runs on PGlite and PostgreSQL.',
    )
  }
  project.provide('pgliteTemplate', await pgliteTemplate(project.name))
  project.provide(
    'postgresTemplateUrl',
    url ? await postgresTemplate(url, postgresTemplateDb(project.name)) : null,
  )
}
