import { timingSafeEqual } from 'node:crypto'
import { API_BASE } from './version.js'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { matchedRoutes } from 'hono/route'
import { getConnInfo } from '@hono/node-server/conninfo'
import { atLeast, userActor, type Role } from '../domain/roles.js'
import type { Auth } from '../services/auth.js'
import type { Settings } from '../services/settings.js'
import type { User } from '../repositories/users.js'
import { ACCESS, type Rule } from './access.js'
import type { AppEnv } from './env.js'
import { forbidden, unauthorized } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'
import type { FeatureView } from './schemas.js'

export const SESSION_COOKIE = 'bk_session'

/** Who is calling: nobody in particular, a browser session, or a script with an API token. */
export type Principal =
  | { readonly kind: 'anonymous'; readonly address: string }
  | {
      readonly kind: 'session'
      readonly user: User
      readonly role: Role
      readonly csrfToken: string
      readonly address: string
    }
  | {
      readonly kind: 'token'
      readonly user: User
      readonly role: Role
      readonly tokenId: string
      readonly address: string
    }

export function roleOf(p: Principal): Role | null {
  return p.kind === 'anonymous' ? null : p.role
}

/** The history label of whoever acts: `user:<id>`, or `anonymous`. */
export function actorOf(c: Context<AppEnv>): string {
  const p = c.get('principal')
  return p.kind === 'anonymous' ? 'anonymous' : userActor(p.user.id)
}

/** What this request's reader may see of assets (contact details, outdated mark). */
export function viewOf(c: Context<AppEnv>, now: Date): FeatureView {
  const days = c.get('settings').verification_max_age_days
  return {
    contacts: c.get('principal').kind !== 'anonymous',
    outdatedBefore: new Date(now.getTime() - days * 24 * 3600_000),
  }
}

export function signedInUser(c: Context<AppEnv>): User {
  const p = c.get('principal')
  if (p.kind === 'anonymous') throw loginRequired()
  return p.user
}

/** True when the request arrived over HTTPS (directly, or through a trusted proxy). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (c.req.url.startsWith('https:')) return true
  return trustProxy && forwardedHttps(c.req.header('x-forwarded-proto'))
}

/** Whether an X-Forwarded-Proto header says the first hop was HTTPS (trust it only from a proxy). */
export function forwardedHttps(header: string | undefined): boolean {
  return header?.split(',')[0]?.trim() === 'https'
}

/** The client's address: the socket's, or the address a trusted proxy saw (last X-Forwarded-For hop). */
export function addressOf(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    // The last hop is the one our proxy added (what it saw); earlier ones the client can forge.
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown' // app.request() in tests has no socket
  }
}

export function setSessionCookie(c: Context, token: string, secure: boolean, maxAgeS: number) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: maxAgeS,
  })
}

export function clearSessionCookie(c: Context, secure: boolean) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure, httpOnly: true, sameSite: 'Lax' })
}

export const loginRequired = () => unauthorized(PROBLEM.loginRequired)

const notAllowed = (needed: Rule) => forbidden(PROBLEM.roleNotAllowed(needed))

const sessionRequired = () => forbidden(PROBLEM.sessionRequired)

/** Signing in makes a new session: exempt from the CSRF check (the origin check guards it). */
const LOGIN_PATHS = ['/api/auth/login', `${API_BASE}/auth/login`]

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The host of an Origin header; null for 'null' or anything that is not a URL. */
function originHost(origin: string): string | null {
  try {
    return origin === 'null' ? null : new URL(origin).host
  } catch {
    return null
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The access rule of the route this request matched; undefined when no route matched. */
export function ruleFor(c: Context): Rule | 'missing' | undefined {
  // The first matching handler answers (e.g. /reports/report.css before /reports/:file).
  const route = matchedRoutes(c).find((r) => r.method !== 'ALL')
  if (!route) return undefined
  const method = route.method === 'HEAD' ? 'GET' : route.method
  return ACCESS[`${method} ${route.path}`] ?? 'missing'
}

/**
 * Establishes the principal (bearer token or session cookie), checks the origin and the CSRF
 * token of state-changing requests, and applies the route's access rule.
 */
export function authenticate(deps: {
  auth: Auth
  settings: () => Promise<Settings>
  trustProxy: boolean
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const address = addressOf(c, deps.trustProxy)
    const unsafe = UNSAFE.has(c.req.method)
    let principal: Principal = { kind: 'anonymous', address }

    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (bearer) {
      const found = await deps.auth.token(bearer)
      if (found === 'expired') {
        c.header('WWW-Authenticate', 'Bearer realm="buurtkaart", error="invalid_token"')
        throw unauthorized(PROBLEM.tokenExpired)
      }
      if (!found) {
        c.header('WWW-Authenticate', 'Bearer realm="buurtkaart"')
        throw unauthorized(PROBLEM.invalidToken)
      }
      principal = {
        kind: 'token',
        user: found.user,
        role: found.role,
        tokenId: found.tokenId,
        address,
      }
    } else {
      const cookie = getCookie(c, SESSION_COOKIE)
      const session = cookie ? await deps.auth.session(cookie) : undefined
      if (session) {
        principal = {
          kind: 'session',
          user: session.user,
          role: session.user.role,
          csrfToken: session.csrfToken,
          address,
        }
      } else if (cookie) {
        clearSessionCookie(c, isHttps(c, deps.trustProxy))
      }
    }
    c.set('principal', principal)
    const settings = await deps.settings()
    c.set('settings', settings)

    if (unsafe) {
      // A browser always sends Origin on cross-site POSTs; a different origin is never ours.
      const origin = c.req.header('origin')
      if (origin !== undefined && originHost(origin) !== new URL(c.req.url).host) throw csrfFailed()
      // Signing in is exempt: it makes a new session, and the origin check above guards it.
      if (principal.kind === 'session' && !LOGIN_PATHS.includes(c.req.path)) {
        const sent = c.req.header('x-csrf-token') ?? ''
        if (!sameSecret(sent, principal.csrfToken)) throw csrfFailed()
      }
    }

    const rule = ruleFor(c)
    if (rule === 'missing') throw notAllowed('admin')
    if (rule && rule !== 'public') {
      const role = roleOf(principal)
      if (rule === 'read') {
        if (!role && !settings.public_map) throw loginRequired()
      } else if (!role) {
        throw loginRequired()
      } else if (rule === 'session') {
        if (principal.kind !== 'session') throw sessionRequired()
      } else if (rule !== 'signed-in' && !atLeast(role, rule)) {
        throw notAllowed(rule)
      }
    }
    await next()
  }
}

const csrfFailed = () => forbidden(PROBLEM.csrfFailed, { extra: { reason: 'csrf_failed' } })
