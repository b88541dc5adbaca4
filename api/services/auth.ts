import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  forbidden,
  invalidCredentials,
  notFound,
  tooManyAttempts,
  validationFailed,
} from '../domain/errors.js'
import { FIELD, LABEL, PROBLEM } from '../domain/messages.js'
import { dummyHash, verifyPassword } from '../domain/password.js'
import { atLeast, userActor, type Role } from '../domain/roles.js'
import type { Database } from '../db/database.js'
import {
  findToken,
  findTokenByHash,
  insertToken,
  listTokensOf,
  markTokenUsed,
  revokeToken,
} from '../repositories/api-tokens.js'
import {
  deleteAttempts,
  deleteAttemptsOlderThan,
  deleteAttemptsUnder,
  recentAttempts,
  recordAttempts,
} from '../repositories/login-failures.js'
import {
  deleteSession,
  deleteSessionsOf,
  findSession,
  insertSession,
  touchSession,
} from '../repositories/sessions.js'
import { findUser, findUserByEmail, type User } from '../repositories/users.js'
import type { Clock } from '../domain/clock.js'
import { appendAudit } from '../repositories/audit.js'
import { revokeAllTokens } from './users.js'

/** SHA-256 in hex: how session ids, API tokens and throttle keys are stored. */
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

const randomToken = () => randomBytes(32).toString('base64url')

/**
 * Failed logins slow the next attempt down, they never lock: after a few free failures each
 * further attempt waits a delay that doubles with every failure, up to a cap, counted from the
 * latest failure. Once it has passed the right password works, whoever failed before.
 */
export const THROTTLE = {
  /** Failures are remembered this long. */
  memoryMs: 24 * 3600_000,
  /** The first delay after the free failures. */
  baseMs: 1000,
  /** One address guessing one account. */
  pair: { free: 5, capMs: 15 * 60_000 },
  /** One address guessing many accounts. */
  address: { free: 20, capMs: 15 * 60_000 },
  /**
   * Many addresses guessing one account. Capped short: a guesser elsewhere can keep the owner
   * waiting a minute at most, and a spread-out attack still gets about one guess a minute.
   */
  account: { free: 10, capMs: 60_000 },
} as const

interface ThrottleLimit {
  readonly free: number
  readonly capMs: number
}

/** Milliseconds an attempt must wait after the latest of `failures` failures (0: free). */
export function throttleDelay(failures: number, limit: ThrottleLimit): number {
  if (failures < limit.free) return 0
  return Math.min(THROTTLE.baseMs * 2 ** (failures - limit.free), limit.capMs)
}

export const SESSION = {
  /** A session ends this long after login, however active. */
  maxAgeMs: 14 * 24 * 3600_000,
  /** … or after this long without a request. */
  idleMs: 2 * 24 * 3600_000,
} as const

export const TOKEN_PREFIX = 'bk_'

const DAY_MS = 24 * 3600_000

/**
 * When a token stops working: its own expiry, and never later than `maxDays` after it was made
 * (so a lowered maximum holds for older tokens too, also those made before tokens expired).
 */
function expiryOf(
  row: { created_at: Date | string; expires_at: Date | string | null },
  maxDays: number,
): Date {
  const latest = new Date(row.created_at).getTime() + maxDays * DAY_MS
  const own = row.expires_at === null ? Infinity : new Date(row.expires_at).getTime()
  return new Date(Math.min(latest, own))
}

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
  readonly expires_at: string
}

const usable = (u: User | undefined): u is User =>
  u !== undefined && u.disabled_at === null && u.deleted_at === null

export function createAuth(deps: {
  db: Database
  clock: Clock
  /** The longest an API token lives (BUURTKAART_TOKEN_MAX_DAYS). */
  tokenMaxDays: number
}) {
  const { db, clock, tokenMaxDays } = deps

  /**
   * Milliseconds this attempt must still wait for `keyHash`, or 0. Every other attempt on record
   * counts as a failure, also one still being checked, so parallel guesses see each other: once
   * the free failures are used up, of a burst at most one gets past the delay.
   */
  async function waitFor(
    keyHash: string,
    limit: ThrottleLimit,
    own: readonly number[],
    now: Date,
  ): Promise<number> {
    const since = new Date(now.getTime() - THROTTLE.memoryMs)
    // Beyond this many the delay is at its cap anyway.
    const rows = await recentAttempts(db, keyHash, since, limit.free + 64)
    const others = rows.filter((r) => !own.includes(r.id))
    const delay = throttleDelay(others.length, limit)
    if (delay === 0) return 0
    const latest = Math.max(...others.map((r) => r.at.getTime()))
    return Math.max(0, latest + delay - now.getTime())
  }

  /**
   * Checks e-mail and password, slowed down per account, per address and per account from one
   * address. The attempt is recorded before the (slow) hash is checked and removed again when it
   * succeeds or has to wait, so parallel guesses see each other. An unknown e-mail costs the same
   * hash and gets the same answer as a wrong password.
   */
  async function checkCredentials(emailIn: string, password: string, address: string) {
    const now = clock.now()
    const email = emailIn.trim().toLowerCase()
    const keys = [
      { hash: sha256(`pair:${email}\n${address}`), limit: THROTTLE.pair },
      { hash: sha256(`address:${address}`), limit: THROTTLE.address },
      { hash: sha256(`account:${email}`), limit: THROTTLE.account },
    ]
    const own = await recordAttempts(
      db,
      keys.map((k) => k.hash),
      now,
    )
    const forget = () => deleteAttempts(db, own)
    let wait = 0
    for (const key of keys) wait = Math.max(wait, await waitFor(key.hash, key.limit, own, now))
    if (wait > 0) {
      await forget() // not checked, so not a failure: waiting does not make the delay grow
      throw tooManyAttempts(wait)
    }
    const found = await findUserByEmail(db, email)
    const hash = found?.password_hash ?? (await dummyHash())
    const ok = (await verifyPassword(password, hash)) && usable(found)
    if (!ok || !found) {
      await deleteAttemptsOlderThan(db, new Date(now.getTime() - THROTTLE.memoryMs))
      throw invalidCredentials()
    }
    // The owner got in: this account's failures are forgiven (those of the address are not).
    await forget()
    await deleteAttemptsUnder(db, [keys[0]!.hash, keys[2]!.hash])
    const { password_hash: _omit, ...user } = found
    return user
  }

  async function createSession(userId: string, now: Date) {
    const token = randomToken()
    const csrfToken = randomToken()
    await insertSession(db, {
      idHash: sha256(token),
      userId,
      csrfToken,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION.maxAgeMs),
    })
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
      const row = await findSession(db, idHash)
      if (!row) return undefined
      const lastSeen = row.last_seen_at.getTime()
      if (row.expires_at.getTime() <= now.getTime() || now.getTime() - lastSeen > SESSION.idleMs) {
        await deleteSession(db, idHash)
        return undefined
      }
      const user = await findUser(db, row.user_id)
      if (!usable(user)) return undefined
      // Written at most every five minutes, not on every request.
      if (now.getTime() - lastSeen > 5 * 60_000) {
        await touchSession(db, idHash, now)
      }
      return { user, csrfToken: row.csrf_token, idHash }
    },

    async logout(token: string): Promise<void> {
      await deleteSession(db, sha256(token))
    },

    /** Ends every session of an account ("sign out everywhere"), and its API tokens if asked. */
    async logoutEverywhere(
      userId: string,
      options: { revokeTokens?: boolean | undefined; actor: string },
    ): Promise<number> {
      const at = clock.now()
      return db.transaction().execute(async (trx) => {
        const ended = await deleteSessionsOf(trx, userId)
        if (options.revokeTokens) await revokeAllTokens(trx, userId, options.actor, at)
        return ended
      })
    },

    /** A new API token; the secret is returned once and only its hash is kept. */
    async createToken(
      owner: User,
      input: { name: string; role?: Role | undefined; expires_in_days?: number | undefined },
      actor: string,
    ): Promise<{ token: ApiTokenView; secret: string }> {
      const days = input.expires_in_days ?? tokenMaxDays
      if (!Number.isInteger(days) || days < 1 || days > tokenMaxDays) {
        throw validationFailed([
          {
            pointer: '/expires_in_days',
            code: 'out_of_range',
            message: FIELD.tokenLifetime(tokenMaxDays),
          },
        ])
      }
      const role = input.role ?? owner.role
      if (!atLeast(owner.role, role)) {
        throw forbidden(PROBLEM.tokenRoleTooHigh, {
          fields: [{ pointer: '/role', code: 'too_high', message: FIELD.roleAtMost(owner.role) }],
        })
      }
      const now = clock.now()
      const expiresAt = new Date(now.getTime() + days * DAY_MS)
      const secret = TOKEN_PREFIX + randomToken()
      const id = randomUUID()
      await db.transaction().execute(async (trx) => {
        await insertToken(trx, {
          id,
          userId: owner.id,
          name: input.name,
          role,
          tokenHash: sha256(secret),
          createdAt: now,
          expiresAt,
        })
        await appendAudit(trx, {
          at: now,
          actor,
          action: 'token.create',
          subject: userActor(owner.id),
          after: { id, name: input.name, role, expires_at: expiresAt.toISOString() },
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
          expires_at: expiresAt.toISOString(),
        },
        secret,
      }
    },

    /**
     * The account and role behind a bearer token; `expired` past its expiry, undefined when it is
     * unknown or revoked or its owner disabled.
     */
    async token(secret: string): Promise<TokenInfo | 'expired' | undefined> {
      if (!secret.startsWith(TOKEN_PREFIX)) return undefined
      const row = await findTokenByHash(db, sha256(secret))
      if (!row || row.revoked_at) return undefined
      const now = clock.now()
      if (expiryOf(row, tokenMaxDays).getTime() <= now.getTime()) return 'expired'
      const user = await findUser(db, row.user_id)
      if (!usable(user)) return undefined
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
        await markTokenUsed(db, row.id, now)
      }
      // Never more than the owner has now.
      const role = atLeast(user.role, row.role) ? row.role : user.role
      return { user, role, tokenId: row.id }
    },

    async listTokens(userId: string): Promise<ApiTokenView[]> {
      const rows = await listTokensOf(db, userId)
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        role: r.role,
        created_at: r.created_at.toISOString(),
        last_used_at: r.last_used_at?.toISOString() ?? null,
        revoked_at: r.revoked_at?.toISOString() ?? null,
        expires_at: expiryOf(r, tokenMaxDays).toISOString(),
      }))
    },

    /** Revokes a token of `owner` (any token when `owner` is undefined: admins). */
    async revokeToken(id: string, owner: string | undefined, actor: string): Promise<void> {
      const now = clock.now()
      await db.transaction().execute(async (trx) => {
        const row = await findToken(trx, id, owner)
        if (!row) throw notFound(LABEL.token, id)
        await revokeToken(trx, id, now)
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
