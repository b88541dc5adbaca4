import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Mode } from '../domain/reach.js'
import type { ProposedPlace } from '../domain/scenario.js'
import type { Executor, ScenariosTable } from '../db/database.js'
import { jsonb } from '../db/postgis.js'
import { toIso } from './assets.js'

/** A saved what-if scenario: where, how it is measured, and the places it adds and closes. */
export interface StoredScenario {
  readonly id: string
  readonly name: string
  readonly area: string
  readonly mode: Mode
  readonly thresholdM: number
  readonly res: number
  readonly add: ProposedPlace[]
  readonly close: string[]
  readonly created_at: string
}

export interface NewScenario {
  readonly name: string
  readonly area: string
  readonly mode: Mode
  readonly thresholdM: number
  readonly res: number
  readonly add: readonly ProposedPlace[]
  readonly close: readonly string[]
  readonly created_by: string
  readonly created_at: Date
}

function fromRow(row: Selectable<ScenariosTable>): StoredScenario {
  return {
    id: row.id,
    name: row.name,
    area: row.area_code,
    mode: row.mode,
    thresholdM: row.threshold_m,
    res: row.res,
    add: row.add as ProposedPlace[],
    close: row.close as string[],
    created_at: toIso(row.created_at),
  }
}

export async function getScenario(db: Executor, id: string): Promise<StoredScenario | undefined> {
  const row = await db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst()
  return row && fromRow(row)
}

/** The newest scenarios first, at most `limit`. */
export async function listRecentScenarios(db: Executor, limit: number): Promise<StoredScenario[]> {
  const rows = await db
    .selectFrom('scenarios')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(fromRow)
}

/** Stores a scenario under a new id and returns it as read back. */
export async function insertScenario(db: Executor, s: NewScenario): Promise<StoredScenario> {
  const id = randomUUID()
  await db
    .insertInto('scenarios')
    .values({
      id,
      name: s.name,
      area_code: s.area,
      mode: s.mode,
      threshold_m: s.thresholdM,
      res: s.res,
      add: jsonb(s.add),
      close: jsonb(s.close),
      created_by: s.created_by,
      created_at: s.created_at,
    })
    .execute()
  return (await getScenario(db, id)) as StoredScenario
}
