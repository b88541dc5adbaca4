import type { Role } from '../domain/roles.js'
import { actorUserId } from '../domain/roles.js'
import { toIso } from './assets.js'
import type { Executor } from '../db/database.js'

export interface User {
  readonly id: string
  readonly email: string | null
  readonly display_name: string
  readonly role: Role
  readonly created_at: string
  readonly disabled_at: string | null
  readonly deleted_at: string | null
}

const USER_COLUMNS = [
  'id',
  'email',
  'display_name',
  'role',
  'created_at',
  'disabled_at',
  'deleted_at',
] as const

function selectUsers(db: Executor) {
  return db.selectFrom('users').select(USER_COLUMNS)
}

type UserRow = Awaited<ReturnType<ReturnType<typeof selectUsers>['executeTakeFirstOrThrow']>>

export function toUser(row: UserRow): User {
  return {
    ...row,
    created_at: toIso(row.created_at),
    disabled_at: row.disabled_at ? toIso(row.disabled_at) : null,
    deleted_at: row.deleted_at ? toIso(row.deleted_at) : null,
  }
}

export async function findUser(db: Executor, id: string): Promise<User | undefined> {
  const row = await selectUsers(db).where('id', '=', id).executeTakeFirst()
  return row && toUser(row)
}

/**
 * The ids of the active admins (neither disabled nor anonymised), locked until the transaction
 * ends. Two changes that would each leave one admin (two admins demoting each other at once)
 * then run one after the other, and the second sees the first one's result.
 */
export async function lockActiveAdmins(trx: Executor): Promise<string[]> {
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute()
  return rows.map((r) => r.id)
}

/** An account by e-mail (compared lower-case), with its password hash. */
export async function findUserByEmail(
  db: Executor,
  email: string,
): Promise<(User & { password_hash: string | null }) | undefined> {
  const row = await selectUsers(db)
    .select('password_hash')
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
  return row && { ...toUser(row), password_hash: row.password_hash }
}

export async function listUsers(db: Executor): Promise<User[]> {
  const rows = await selectUsers(db).orderBy('created_at').orderBy('id').execute()
  return rows.map(toUser)
}

/** Display names for `user:<id>` actors; an anonymised account keeps its (erased) name. */
export async function actorNames(
  db: Executor,
  actors: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(actors.map(actorUserId).filter((id): id is string => id !== undefined))]
  const names = new Map<string, string>()
  if (ids.length === 0) return names
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .execute()
  for (const row of rows) names.set(`user:${row.id}`, row.display_name)
  return names
}

export async function insertUser(
  db: Executor,
  user: {
    id: string
    email: string
    display_name: string
    role: Role
    password_hash: string | null
    created_at: Date
  },
): Promise<void> {
  await db.insertInto('users').values(user).execute()
}

/** Sets the fields given; the others stay. */
export async function setUserFields(
  db: Executor,
  id: string,
  patch: {
    display_name?: string
    role?: Role
    disabled_at?: Date | null
    password_hash?: string | null
    email?: string | null
    deleted_at?: Date
  },
): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute()
}
