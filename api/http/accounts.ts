import { newestFirstQuery } from './query.js'
import { API_BASE } from './version.js'
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import { getCookie } from 'hono/cookie'
import { z } from 'zod'
import { DomainError, notFound, validationFailed } from '../domain/errors.js'
import { FIELD, LABEL, type Bilingual } from '../domain/messages.js'
import { ROLES } from '../domain/roles.js'
import type { Database } from '../db/database.js'
import { SESSION, type Auth } from '../services/auth.js'
import type { Clock } from '../domain/clock.js'
import { readAudit } from '../services/audit.js'
import { settingsSchema, updateSettings } from '../services/settings.js'
import {
  anonymiseUser,
  changePassword,
  createUser,
  exportUserData,
  listAccounts,
  newUserSchema,
  requireUser,
  updateUser,
  userPatchSchema,
} from '../services/users.js'
import type { AppEnv } from './env.js'
import type { SettingsCache } from '../services/settings.js'
import {
  actorOf,
  clearSessionCookie,
  isHttps,
  SESSION_COOKIE,
  setSessionCookie,
  signedInUser,
} from './principal.js'
import { isUuid, readJson, readQuery } from './util.js'
import {
  auditSchema,
  createdTokenSchema,
  loginSchema,
  meSchema,
  tokenListSchema,
  userExportSchema,
  userListSchema,
  userSchema,
} from './contract.js'
import { jsonBody, jsonResponse, problemResponse } from './openapi.js'

const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1000),
})

const tokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES).optional(),
  expires_in_days: z.number().int().min(1).optional().meta({
    description:
      'Days the token lives; at most, and by default, BUURTKAART_TOKEN_MAX_DAYS (365 unless configured)',
  }),
})

const revokeTokens = z.boolean().optional().meta({
  description: 'Also revoke all my API tokens (default false: scripts keep working)',
})

const passwordBody = z.strictObject({
  current_password: z.string().min(1).max(1000),
  new_password: z.string().min(1).max(1000),
  revoke_tokens: revokeTokens,
})

const logoutAllBody = z.strictObject({ revoke_tokens: revokeTokens })

const pageQuery = newestFirstQuery(100)

const requireId = (id: string, what: Bilingual) => {
  if (!isUuid(id)) throw notFound(what, id)
}

/** Signing in and out, one's own data and tokens, and the admin's users, settings and audit log. */
export function accountRoutes(deps: {
  db: Database
  auth: Auth
  clock: Clock
  trustProxy: boolean
  settings: SettingsCache
}) {
  const { db, auth, clock } = deps
  const app = new OpenAPIHono<AppEnv>()
  const who = (c: Parameters<typeof actorOf>[0]) => ({ actor: actorOf(c), clock })

  const idParam = (what: string) =>
    z.object({ id: z.string().meta({ description: `${what} id (uuid)` }) })
  const noContent = (description: string) => ({ 204: { description } })
  const routes: RouteConfig[] = [
    {
      method: 'get',
      path: '/auth/me',
      summary: 'The signed-in account (or null), its CSRF token and the public settings',
      responses: { 200: jsonResponse('Who is calling', meSchema) },
    },
    {
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with e-mail and password; sets the session cookie',
      request: { body: jsonBody(loginBody) },
      responses: {
        200: jsonResponse('Signed in', loginSchema),
        401: problemResponse('Wrong e-mail or password, or the account is disabled'),
        429: problemResponse('Too many failed attempts; Retry-After'),
      },
    },
    {
      method: 'post',
      path: '/auth/logout',
      summary: 'End this session',
      responses: noContent('Signed out; the cookie is cleared'),
    },
    {
      method: 'post',
      path: '/auth/logout-all',
      summary:
        'End every session of this account; with revoke_tokens, its API tokens too (body optional)',
      request: {
        body: { required: false, content: { 'application/json': { schema: logoutAllBody } } },
      },
      responses: noContent('Every session ended'),
    },
    {
      method: 'get',
      path: '/me/export',
      summary: 'Everything the service holds about me (AVG)',
      responses: { 200: jsonResponse('My data, as a download', userExportSchema) },
    },
    {
      method: 'post',
      path: '/me/password',
      summary: 'Change my password; ends every session; with revoke_tokens, my API tokens too',
      request: { body: jsonBody(passwordBody) },
      responses: {
        ...noContent('Changed; sign in again'),
        422: problemResponse('Wrong current password, or the new one is too weak'),
        429: problemResponse('Too many failed attempts; Retry-After'),
      },
    },
    {
      method: 'get',
      path: '/tokens',
      summary: 'My API tokens (never the secrets), with their expiry',
      responses: { 200: jsonResponse('My tokens', tokenListSchema) },
    },
    {
      method: 'post',
      path: '/tokens',
      summary: 'Make an API token; the secret is shown once',
      request: { body: jsonBody(tokenBody) },
      responses: { 201: jsonResponse('Made', createdTokenSchema) },
    },
    {
      method: 'delete',
      path: '/tokens/{id}',
      summary: "Revoke an API token (admins: anyone's)",
      request: { params: idParam('Token') },
      responses: {
        ...noContent('Revoked'),
        404: problemResponse('No such token (of mine)'),
      },
    },
    {
      method: 'get',
      path: '/users',
      summary: 'Admin: all accounts',
      responses: { 200: jsonResponse('Accounts', userListSchema) },
    },
    {
      method: 'post',
      path: '/users',
      summary: 'Admin: make an account',
      request: { body: jsonBody(newUserSchema) },
      responses: {
        201: jsonResponse('Made; Location names it', userSchema),
        409: problemResponse('An account with this e-mail address exists'),
      },
    },
    {
      method: 'patch',
      path: '/users/{id}',
      summary: 'Admin: change role, name or disabled',
      request: { params: idParam('User'), body: jsonBody(userPatchSchema) },
      responses: {
        200: jsonResponse('Changed', userSchema),
        404: problemResponse('No such account'),
        409: problemResponse('The last active admin cannot lose that role'),
      },
    },
    {
      method: 'delete',
      path: '/users/{id}',
      summary: 'Admin: anonymise an account (its history stays)',
      request: { params: idParam('User') },
      responses: {
        ...noContent('Anonymised'),
        404: problemResponse('No such account'),
        409: problemResponse('The last active admin cannot be removed'),
      },
    },
    {
      method: 'get',
      path: '/audit',
      summary: 'Admin: the audit log, newest first',
      request: { query: pageQuery },
      responses: { 200: jsonResponse('Entries', auditSchema) },
    },
    {
      method: 'get',
      path: '/settings',
      summary: 'The run-time settings',
      responses: { 200: jsonResponse('Settings', settingsSchema) },
    },
    {
      method: 'patch',
      path: '/settings',
      summary: 'Admin: change settings',
      request: { body: jsonBody(settingsSchema.partial()) },
      responses: { 200: jsonResponse('All settings, changed', settingsSchema) },
    },
  ]
  for (const route of routes) app.openAPIRegistry.registerPath(route)

  app.get('/auth/me', (c) => {
    const p = c.get('principal')
    return c.json({
      user: p.kind === 'anonymous' ? null : p.user,
      role: p.kind === 'anonymous' ? null : p.role,
      csrf_token: p.kind === 'session' ? p.csrfToken : null,
      settings: c.get('settings'),
    })
  })

  app.post('/auth/login', async (c) => {
    const body = await readJson(c, loginBody)
    const secure = isHttps(c, deps.trustProxy)
    const result = await auth.login({
      email: body.email,
      password: body.password,
      address: c.get('principal').address,
      previousSession: getCookie(c, SESSION_COOKIE),
    })
    setSessionCookie(c, result.token, secure, Math.floor(SESSION.maxAgeMs / 1000))
    c.header('cache-control', 'no-store')
    return c.json({ user: result.user, role: result.user.role, csrf_token: result.csrfToken })
  })

  app.post('/auth/logout', async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE)
    if (cookie) await auth.logout(cookie)
    clearSessionCookie(c, isHttps(c, deps.trustProxy))
    return c.body(null, 204)
  })

  app.post('/auth/logout-all', async (c) => {
    // The body is optional: without one, sessions end and tokens stay.
    const none =
      c.req.header('content-type') === undefined &&
      c.req.header('transfer-encoding') === undefined &&
      !Number(c.req.header('content-length') ?? 0)
    const body = none ? {} : await readJson(c, logoutAllBody)
    await auth.logoutEverywhere(signedInUser(c).id, {
      revokeTokens: body.revoke_tokens,
      actor: actorOf(c),
    })
    clearSessionCookie(c, isHttps(c, deps.trustProxy))
    return c.body(null, 204)
  })

  app.get('/me/export', async (c) => {
    const data = await exportUserData(db, signedInUser(c), clock.now())
    c.header('content-disposition', 'attachment; filename="buurtkaart-mijn-gegevens.json"')
    c.header('cache-control', 'no-store')
    return c.json(data)
  })

  app.post('/me/password', async (c) => {
    const body = await readJson(c, passwordBody)
    const user = signedInUser(c)
    // Throttled like a login: a stolen session must not become unlimited password guessing.
    try {
      await auth.checkCredentials(
        user.email ?? '',
        body.current_password,
        c.get('principal').address,
      )
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'unauthorized') throw e
      throw validationFailed([
        {
          pointer: '/current_password',
          code: 'wrong_password',
          message: FIELD.wrongPassword,
        },
      ])
    }
    await changePassword(db, user, body.current_password, body.new_password, who(c), {
      revokeTokens: body.revoke_tokens,
    })
    clearSessionCookie(c, isHttps(c, deps.trustProxy))
    return c.body(null, 204)
  })

  app.get('/tokens', async (c) => c.json({ tokens: await auth.listTokens(signedInUser(c).id) }))

  app.post('/tokens', async (c) => {
    const body = await readJson(c, tokenBody)
    const created = await auth.createToken(signedInUser(c), body, actorOf(c))
    c.header('cache-control', 'no-store')
    return c.json(created, 201)
  })

  app.delete('/tokens/:id', async (c) => {
    const id = c.req.param('id')
    requireId(id, LABEL.token)
    const p = c.get('principal')
    const owner = p.kind !== 'anonymous' && p.role === 'admin' ? undefined : signedInUser(c).id
    await auth.revokeToken(id, owner, actorOf(c))
    return c.body(null, 204)
  })

  app.get('/users', async (c) => c.json({ users: await listAccounts(db) }))

  app.post('/users', async (c) => {
    const body = await readJson(c, newUserSchema)
    const user = await createUser(db, body, who(c))
    c.header('location', `${API_BASE}/users/${user.id}`)
    return c.json(user, 201)
  })

  app.patch('/users/:id', async (c) => {
    const id = c.req.param('id')
    requireId(id, LABEL.user)
    const body = await readJson(c, userPatchSchema)
    await requireUser(db, id)
    return c.json(await updateUser(db, id, body, who(c)))
  })

  app.delete('/users/:id', async (c) => {
    const id = c.req.param('id')
    requireId(id, LABEL.user)
    await anonymiseUser(db, id, who(c))
    return c.body(null, 204)
  })

  app.get('/audit', async (c) => {
    const q = readQuery(c, pageQuery)
    return c.json({ entries: await readAudit(db, q) })
  })

  app.get('/settings', (c) => c.json(c.get('settings')))

  app.patch('/settings', async (c) => {
    const body = await readJson(c, settingsSchema.partial())
    const updated = await updateSettings(db, body, actorOf(c), clock.now())
    deps.settings.invalidate()
    return c.json(updated)
  })

  return app
}
