import type { Role } from '../domain/roles.js'
import type { Executor } from '../db/database.js'

/** An API token as stored: its secret only as a hash, dates as dates. */
export interface ApiTokenRow {
  readonly id: string
  readonly user_id: string
  readonly name: string
  readonly role: Role
  readonly created_at: Date
  readonly last_used_at: Date | null
  readonly revoked_at: Date | null
  /** Null for tokens made before expiry existed. */
  readonly expires_at: Date | null
}

const COLUMNS = [
  'id',
  'user_id',
  'name',
  'role',
  'created_at',
  'last_used_at',
  'revoked_at',
  'expires_at',
] as const

const date = (d: Date | string) => (d instanceof Date ? d : new Date(d))
const maybeDate = (d: Date | string | null) => (d === null ? null : date(d))

function fromRow(row: {
  id: string
  user_id: string
  name: string
  role: Role
  created_at: Date | string
  last_used_at: Date | string | null
  revoked_at: Date | string | null
  expires_at: Date | string | null
}): ApiTokenRow {
  return {
    ...row,
    created_at: date(row.created_at),
    last_used_at: maybeDate(row.last_used_at),
    revoked_at: maybeDate(row.revoked_at),
    expires_at: maybeDate(row.expires_at),
  }
}

export async function insertToken(
  db: Executor,
  token: {
    id: string
    userId: string
    name: string
    role: Role
    tokenHash: string
    createdAt: Date
    expiresAt: Date
  },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      user_id: token.userId,
      name: token.name,
      role: token.role,
      token_hash: token.tokenHash,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .execute()
}

export async function findTokenByHash(
  db: Executor,
  tokenHash: string,
): Promise<ApiTokenRow | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(COLUMNS)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row && fromRow(row)
}

/** A token by id, only among `owner`'s tokens when `owner` is given. */
export async function findToken(
  db: Executor,
  id: string,
  owner?: string,
): Promise<ApiTokenRow | undefined> {
  let query = db.selectFrom('api_tokens').select(COLUMNS).where('id', '=', id)
  if (owner !== undefined) query = query.where('user_id', '=', owner)
  const row = await query.executeTakeFirst()
  return row && fromRow(row)
}

/** An account's tokens, oldest first. */
export async function listTokensOf(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute()
  return rows.map(fromRow)
}

export async function markTokenUsed(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()
}

export async function revokeToken(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Revokes every live token of an account; the number revoked. */
export async function revokeTokensOf(db: Executor, userId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Lowers every token of an account that holds one of `roles` to `role`. */
export async function lowerTokenRoles(
  db: Executor,
  userId: string,
  roles: readonly Role[],
  role: Role,
): Promise<void> {
  if (roles.length === 0) return
  await db
    .updateTable('api_tokens')
    .set({ role })
    .where('user_id', '=', userId)
    .where('role', 'in', roles)
    .execute()
}
