import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { conflict, lastAdmin, notFound, validationFailed } from '../domain/errors.js'
import { FIELD, LABEL, PROBLEM } from '../domain/messages.js'
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from '../domain/password.js'
import { ROLES, userActor, type Role } from '../domain/roles.js'
import type { Database, Executor } from '../db/database.js'
import { toIso } from '../repositories/assets.js'
import { listTokensOf, lowerTokenRoles, revokeTokensOf } from '../repositories/api-tokens.js'
import { listProposalsBy } from '../repositories/proposals.js'
import { deleteSessionsOf, listSessionsOf } from '../repositories/sessions.js'
import { recentHistory } from '../repositories/history.js'
import {
  findUser,
  findUserByEmail,
  insertUser,
  listUsers,
  lockActiveAdmins,
  setUserFields,
  type User,
} from '../repositories/users.js'
import type { Clock } from '../domain/clock.js'
import { appendAudit, listAudit } from '../repositories/audit.js'

export type { User } from '../repositories/users.js'

/** What an anonymised account is called in the history. */
export const ANONYMISED_NAME = 'Verwijderde gebruiker'

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Not an e-mail address.')

export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX)

export const newUserSchema = z.strictObject({
  email: emailSchema,
  display_name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  password: passwordSchema.optional(),
})

export type NewUser = z.input<typeof newUserSchema>

interface Who {
  readonly actor: string
  readonly clock: Clock
}

/** Refuses a password a person would regret, with a message they can act on. */
function checkPassword(password: string, pointer = '/password'): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw validationFailed([
      {
        pointer,
        code: 'password_length',
        message: FIELD.passwordLength(PASSWORD_MIN, PASSWORD_MAX),
      },
    ])
  }
}

/** Makes an account. Used by `npm run user:add`, the admin API and tests. */
export async function createUser(db: Database, input: NewUser, who: Who): Promise<User> {
  const parsed = newUserSchema.safeParse(input)
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((i) => ({
        pointer: '/' + i.path.join('/'),
        code: i.code,
        message: FIELD.invalidBecause(i.message),
      })),
    )
  }
  const u = parsed.data
  if (u.password !== undefined) checkPassword(u.password)
  const passwordHash = u.password === undefined ? null : await hashPassword(u.password)
  const at = who.clock.now()
  return db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, u.email)) {
      throw conflict(PROBLEM.emailTaken, {
        fields: [{ pointer: '/email', code: 'duplicate', message: FIELD.emailInUse }],
      })
    }
    const id = randomUUID()
    await insertUser(trx, {
      id,
      email: u.email,
      display_name: u.display_name,
      role: u.role,
      password_hash: passwordHash,
      created_at: at,
    })
    await appendAudit(trx, {
      at,
      actor: who.actor,
      action: 'user.create',
      subject: userActor(id),
      after: { role: u.role },
    })
    return (await findUser(trx, id)) as User
  })
}

/**
 * Refuses (409) a change that would leave no active admin: nobody could then manage users,
 * settings or imports. Call it inside the transaction before reading the account: it locks the
 * admins, so a concurrent change waits and then counts what this one left.
 */
async function keepAnAdmin(trx: Parameters<typeof lockActiveAdmins>[0], id: string) {
  const admins = await lockActiveAdmins(trx)
  if (admins.length === 1 && admins[0] === id) {
    throw lastAdmin()
  }
}

/** A live (not anonymised) account, or 404. */
export async function requireUser(db: Database, id: string): Promise<User> {
  const user = await findUser(db, id)
  if (!user || user.deleted_at) throw notFound(LABEL.user, id)
  return user
}

export const userPatchSchema = z.strictObject({
  display_name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
})

/** Changes role, name or the disabled mark; a disabled account's sessions and tokens end. */
export async function updateUser(
  db: Database,
  id: string,
  patch: z.output<typeof userPatchSchema>,
  who: Who,
): Promise<User> {
  const at = who.clock.now()
  return db.transaction().execute(async (trx) => {
    if ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled) {
      await keepAnAdmin(trx, id)
    }
    const before = await findUser(trx, id)
    if (!before || before.deleted_at) throw notFound(LABEL.user, id)
    await setUserFields(trx, id, {
      ...(patch.display_name !== undefined ? { display_name: patch.display_name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined ? { disabled_at: patch.disabled ? at : null } : {}),
    })
    if (patch.disabled) await endAccess(trx, id, at)
    if (patch.role !== undefined) {
      // A token never holds more than its owner.
      await lowerTokenRoles(trx, id, ROLES.slice(ROLES.indexOf(patch.role) + 1), patch.role)
    }
    const after = (await findUser(trx, id)) as User
    await appendAudit(trx, {
      at,
      actor: who.actor,
      action: 'user.update',
      subject: userActor(id),
      before: { role: before.role, disabled: before.disabled_at !== null },
      after: { role: after.role, disabled: after.disabled_at !== null },
    })
    return after
  })
}

async function endAccess(db: Executor, userId: string, at: Date) {
  await deleteSessionsOf(db, userId)
  await revokeTokensOf(db, userId, at)
}

/** Revokes every live API token of an account (asked for at a password change or sign-out). */
export async function revokeAllTokens(db: Executor, userId: string, actor: string, at: Date) {
  const count = await revokeTokensOf(db, userId, at)
  await appendAudit(db, {
    at,
    actor,
    action: 'token.revoke_all',
    subject: userActor(userId),
    after: { count },
  })
}

/**
 * Deleting an account anonymises it: e-mail, name and password are erased and its sessions and
 * tokens end, but the row stays, so every history entry still points at it (AVG art. 17, without
 * losing what the person did to the shared map).
 */
export async function anonymiseUser(db: Database, id: string, who: Who): Promise<void> {
  const at = who.clock.now()
  await db.transaction().execute(async (trx) => {
    await keepAnAdmin(trx, id)
    const before = await findUser(trx, id)
    if (!before || before.deleted_at) throw notFound(LABEL.user, id)
    await setUserFields(trx, id, {
      email: null,
      display_name: ANONYMISED_NAME,
      password_hash: null,
      deleted_at: at,
    })
    await endAccess(trx, id, at)
    await appendAudit(trx, {
      at,
      actor: who.actor,
      action: 'user.anonymise',
      subject: userActor(id),
      before: { role: before.role },
    })
  })
}

export async function changePassword(
  db: Database,
  user: User,
  current: string,
  next: string,
  who: Who,
  options: { revokeTokens?: boolean | undefined } = {},
): Promise<void> {
  const stored = await findUserByEmail(db, user.email ?? '')
  if (!stored?.password_hash || !(await verifyPassword(current, stored.password_hash))) {
    throw validationFailed([
      {
        pointer: '/current_password',
        code: 'wrong_password',
        message: FIELD.wrongPassword,
      },
    ])
  }
  checkPassword(next, '/new_password')
  const hash = await hashPassword(next)
  const at = who.clock.now()
  await db.transaction().execute(async (trx) => {
    await setUserFields(trx, user.id, { password_hash: hash })
    // Everyone who knew the old password is signed out; scripts keep their tokens unless asked.
    await deleteSessionsOf(trx, user.id)
    if (options.revokeTokens) await revokeAllTokens(trx, user.id, who.actor, at)
    await appendAudit(trx, {
      at,
      actor: who.actor,
      action: 'user.password',
      subject: userActor(user.id),
    })
  })
}

/** Everything the service holds about one person (AVG art. 15 and 20), as one JSON document. */
export async function exportUserData(db: Database, user: User, now: Date) {
  const actor = userActor(user.id)
  const sessions = await listSessionsOf(db, user.id)
  const tokens = (await listTokensOf(db, user.id)).map(({ user_id: _owner, ...t }) => t)
  const proposals = await listProposalsBy(db, user.id)
  const changes = await recentHistory(db, { limit: 100_000, actor })
  const audit = [
    ...(await listAudit(db, { limit: 100_000, subject: actor })),
    ...(await listAudit(db, { limit: 100_000 })).filter((e) => e.actor === actor),
  ]
  const iso = (d: Date | string | null) => (d === null ? null : toIso(d))
  return {
    exported_at: now.toISOString(),
    account: user,
    sessions: sessions.map((s) => ({
      created_at: iso(s.created_at),
      last_seen_at: iso(s.last_seen_at),
      expires_at: iso(s.expires_at),
    })),
    api_tokens: tokens.map((t) => ({
      ...t,
      created_at: iso(t.created_at),
      last_used_at: iso(t.last_used_at),
      revoked_at: iso(t.revoked_at),
      expires_at: iso(t.expires_at),
    })),
    proposals: proposals.map((p) => ({
      ...p,
      created_at: iso(p.created_at),
      decided_at: iso(p.decided_at),
    })),
    changes: changes.reverse(),
    audit: [...new Map(audit.map((e) => [e.id, e])).values()].sort((a, b) => a.id - b.id),
  }
}

export type { Role }

/** Every account, for the administrators' list (anonymised ones included, as the history shows them). */
export function listAccounts(db: Database): Promise<User[]> {
  return listUsers(db)
}

/** A live account by e-mail address (as typed: trimmed, any case), or undefined. */
export async function findAccountByEmail(db: Database, email: string): Promise<User | undefined> {
  const user = await findUserByEmail(db, email)
  if (!user || user.deleted_at) return undefined
  const { password_hash: _omit, ...rest } = user
  return rest
}
