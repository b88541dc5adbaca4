import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { DomainError, notFound } from '../domain/errors.js'
import { dummyHash, verifyPassword } from '../domain/password.js'
import { atLeast, userActor, type Role } from '../domain/roles.js'
import type { Database } from '../db/database.js'
import { toIso } from '../repositories/assets.js'
import { findUser, findUserByEmail, type User } from '../repositories/users.js'
import type { Clock } from './assets.js'
import { appendAudit } from './audit.js'

/** SHA-256 in hex: how session ids, API tokens and throttle keys are stored. */
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

const randomToken = () => randomBytes(32).toString('base64url')

/** Failed logins allowed per window before the account or the address must wait. */
export const THROTTLE = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 20 } as const

export const SESSION = {
  /** A session ends this long after login, however active. */
  maxAgeMs: 14 * 24 * 3600_000,
  /** … or after this long without a request. */
  idleMs: 2 * 24 * 3600_000,
} as const

export const TOKEN_PREFIX = 'bk_'

const invalidCredentials = () =>
  new DomainError(
    'unauthorized',
    { nl: 'Inloggen mislukt', en: 'Sign-in failed' },
    {
      nl: 'Het e-mailadres of het wachtwoord klopt niet.',
      en: 'The e-mail address or the password is not right.',
    },
  )

const tooManyAttempts = (waitMs: number) =>
  new DomainError(
    'too_many_requests',
    { nl: 'Te veel pogingen', en: 'Too many attempts' },
    {
      nl: `Te veel mislukte pogingen. Probeer het over ${Math.ceil(waitMs / 60_000)} minuten opnieuw.`,
      en: `Too many failed attempts. Try again in ${Math.ceil(waitMs / 60_000)} minutes.`,
    },
    [],
    { retry_after: waitMs / 1000 },
  )

export interface SessionInfo {
  readonly user: User
  readonly csrfToken: string
  readonly idHash: string
}

export interface TokenInfo {
  readonly user: User
  readonly role: Role
  readonly tokenId: string
}

export interface ApiTokenView {
  readonly id: string
  readonly name: string
  readonly role: Role
  readonly created_at: string
  readonly last_used_at: string | null
  readonly revoked_at: string | null
}

const usable = (u: User | undefined): u is User =>
  u !== undefined && u.disabled_at === null && u.deleted_at === null

export function createAuth(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps

  /**
   * Milliseconds until `key` may try again, or 0: blocked when more than `limit` attempts are on
   * record in the window (the caller's own attempt is already recorded, so parallel guesses count
   * each other).
   */
  async function throttled(keyHash: string, limit: number, now: Date): Promise<number> {
    const since = new Date(now.getTime() - THROTTLE.windowMs)
    const rows = await db
      .selectFrom('login_failures')
      .select('at')
      .where('key_hash', '=', keyHash)
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .limit(limit + 1)
      .execute()
    if (rows.length <= limit) return 0
    const oldest = new Date(rows[rows.length - 1]!.at).getTime()
    return Math.max(1000, oldest + THROTTLE.windowMs - now.getTime())
  }

  /**
   * Checks e-mail and password, throttled per account and per address. The attempt is recorded
   * before the (slow) hash is checked and removed again when it succeeds or is refused as
   * throttled, so a burst of parallel guesses counts fully. An unknown e-mail costs the same hash
   * and gets the same answer as a wrong password.
   */
  async function checkCredentials(emailIn: string, password: string, address: string) {
    const now = clock.now()
    const email = emailIn.trim().toLowerCase()
    const accountKey = sha256(`account:${email}`)
    const addressKey = sha256(`address:${address}`)
    const attempt = await db
      .insertInto('login_failures')
      .values([
        { key_hash: accountKey, at: now },
        { key_hash: addressKey, at: now },
      ])
      .returning('id')
      .execute()
    const forget = () =>
      db
        .deleteFrom('login_failures')
        .where(
          'id',
          'in',
          attempt.map((r) => r.id),
        )
        .execute()
    const wait = Math.max(
      await throttled(accountKey, THROTTLE.perAccount, now),
      await throttled(addressKey, THROTTLE.perAddress, now),
    )
    if (wait > 0) {
      await forget() // not checked, so not a failure: the block ends when the real ones expire
      throw tooManyAttempts(wait)
    }
    const found = await findUserByEmail(db, email)
    const hash = found?.password_hash ?? (await dummyHash())
    const ok = (await verifyPassword(password, hash)) && usable(found)
    if (!ok || !found) {
      await db
        .deleteFrom('login_failures')
        .where('at', '<', new Date(now.getTime() - THROTTLE.windowMs))
        .execute()
      throw invalidCredentials()
    }
    await forget()
    await db.deleteFrom('login_failures').where('key_hash', '=', accountKey).execute()
    const { password_hash: _omit, ...user } = found
    return user
  }

  async function createSession(userId: string, now: Date) {
    const token = randomToken()
    const csrfToken = randomToken()
    await db
      .insertInto('sessions')
      .values({
        id_hash: sha256(token),
        user_id: userId,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + SESSION.maxAgeMs),
      })
      .execute()
    return { token, csrfToken }
  }

  return {
    /**
     * Checks e-mail and password. An unknown e-mail costs the same hash as a wrong password and
     * gets the same answer; failures count against the account and the address. A session id
     * the client already had is ended, so a planted id never becomes a signed-in one.
     */
    async login(input: {
      email: string
      password: string
      address: string
      previousSession?: string | undefined
    }): Promise<{ user: User; token: string; csrfToken: string }> {
      const user = await checkCredentials(input.email, input.password, input.address)
      if (input.previousSession) await this.logout(input.previousSession)
      const { token, csrfToken } = await createSession(user.id, clock.now())
      return { user, token, csrfToken }
    },

    checkCredentials,

    /** The signed-in account for a session cookie value, or undefined. */
    async session(token: string): Promise<SessionInfo | undefined> {
      const now = clock.now()
      const idHash = sha256(token)
      const row = await db
        .selectFrom('sessions')
        .select(['user_id', 'csrf_token', 'expires_at', 'last_seen_at'])
        .where('id_hash', '=', idHash)
        .executeTakeFirst()
      if (!row) return undefined
      const lastSeen = new Date(row.last_seen_at).getTime()
      if (
        new Date(row.expires_at).getTime() <= now.getTime() ||
        now.getTime() - lastSeen > SESSION.idleMs
      ) {
        await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
        return undefined
      }
      const user = await findUser(db, row.user_id)
      if (!usable(user)) return undefined
      // Written at most every five minutes, not on every request.
      if (now.getTime() - lastSeen > 5 * 60_000) {
        await db
          .updateTable('sessions')
          .set({ last_seen_at: now })
          .where('id_hash', '=', idHash)
          .execute()
      }
      return { user, csrfToken: row.csrf_token, idHash }
    },

    async logout(token: string): Promise<void> {
      await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute()
    },

    /** Ends every session of an account ("sign out everywhere"). */
    async logoutEverywhere(userId: string): Promise<number> {
      const result = await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    /** A new API token; the secret is returned once and only its hash is kept. */
    async createToken(
      owner: User,
      input: { name: string; role?: Role | undefined },
      actor: string,
    ): Promise<{ token: ApiTokenView; secret: string }> {
      const role = input.role ?? owner.role
      if (!atLeast(owner.role, role)) {
        throw new DomainError(
          'forbidden',
          { nl: 'Rol te hoog', en: 'Role too high' },
          {
            nl: 'Een token kan niet meer dan de rol van zijn eigenaar.',
            en: "A token cannot do more than its owner's role.",
          },
          [
            {
              pointer: '/role',
              code: 'too_high',
              message: { nl: `Ten hoogste ${owner.role}.`, en: `At most ${owner.role}.` },
            },
          ],
        )
      }
      const now = clock.now()
      const secret = TOKEN_PREFIX + randomToken()
      const id = randomUUID()
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('api_tokens')
          .values({
            id,
            user_id: owner.id,
            name: input.name,
            role,
            token_hash: sha256(secret),
            created_at: now,
          })
          .execute()
        await appendAudit(trx, {
          at: now,
          actor,
          action: 'token.create',
          subject: userActor(owner.id),
          after: { id, name: input.name, role },
        })
      })
      return {
        token: {
          id,
          name: input.name,
          role,
          created_at: now.toISOString(),
          last_used_at: null,
          revoked_at: null,
        },
        secret,
      }
    },

    /** The account and role behind a bearer token, or undefined (unknown, revoked, disabled). */
    async token(secret: string): Promise<TokenInfo | undefined> {
      if (!secret.startsWith(TOKEN_PREFIX)) return undefined
      const row = await db
        .selectFrom('api_tokens')
        .select(['id', 'user_id', 'role', 'revoked_at', 'last_used_at'])
        .where('token_hash', '=', sha256(secret))
        .executeTakeFirst()
      if (!row || row.revoked_at) return undefined
      const user = await findUser(db, row.user_id)
      if (!usable(user)) return undefined
      const now = clock.now()
      if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
        await db
          .updateTable('api_tokens')
          .set({ last_used_at: now })
          .where('id', '=', row.id)
          .execute()
      }
      // Never more than the owner has now.
      const role = atLeast(user.role, row.role) ? row.role : user.role
      return { user, role, tokenId: row.id }
    },

    async listTokens(userId: string): Promise<ApiTokenView[]> {
      const rows = await db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute()
      return rows.map((r) => ({
        ...r,
        created_at: toIso(r.created_at),
        last_used_at: r.last_used_at ? toIso(r.last_used_at) : null,
        revoked_at: r.revoked_at ? toIso(r.revoked_at) : null,
      }))
    },

    /** Revokes a token of `owner` (any token when `owner` is undefined: admins). */
    async revokeToken(id: string, owner: string | undefined, actor: string): Promise<void> {
      const now = clock.now()
      await db.transaction().execute(async (trx) => {
        let query = trx
          .selectFrom('api_tokens')
          .select(['id', 'user_id', 'name'])
          .where('id', '=', id)
        if (owner !== undefined) query = query.where('user_id', '=', owner)
        const row = await query.executeTakeFirst()
        if (!row) throw notFound({ nl: 'Token', en: 'Token' }, id)
        await trx
          .updateTable('api_tokens')
          .set({ revoked_at: now })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .execute()
        await appendAudit(trx, {
          at: now,
          actor,
          action: 'token.revoke',
          subject: userActor(row.user_id),
          before: { id, name: row.name },
        })
      })
    },
  }
}

export type Auth = ReturnType<typeof createAuth>
