import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from './env.js'
import { isHttps, roleOf, type Principal } from './principal.js'
import { tooManyRequests as tooManyRequestsError } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'

/**
 * Security headers on every response. The web app has no inline scripts or styles; maplibre-gl
 * runs its workers from blob: URLs and the PDOK basemap loads over https.
 */
/** The Strict-Transport-Security value sent over HTTPS (a year, subdomains too). */
const HSTS = 'max-age=31536000; includeSubDomains'

export function securityHeaders(trustProxy: boolean): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
      connectSrc: ["'self'", 'https:'],
      workerSrc: ["'self'", 'blob:'],
      childSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    // Only meaningful over HTTPS; set below when the request came that way.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  })
  return async (c, next) => {
    await headers(c, async () => {
      await next()
    })
    if (isHttps(c, trustProxy)) {
      c.header('Strict-Transport-Security', HSTS)
    }
  }
}

/**
 * Answers to a signed-in request (session cookie or bearer token) may hold personal data: contact
 * details, names in the history, proposals, one's own account. An answer that chose no caching of
 * its own (tiles, the taxonomy, report styles do) gets `Cache-Control: private, no-store` then, so
 * no shared cache keeps it; and every such answer, a visitor's too, says it differs by
 * `Cookie` and `Authorization`, so no cache hands one person's answer to another.
 */
export function privateWhenSignedIn(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next()
    if (c.res.headers.has('cache-control')) return
    // Unset when authentication itself failed (the answer is then a 401 or 403 problem).
    const principal = c.get('principal') as Principal | undefined
    if (principal && principal.kind !== 'anonymous') {
      c.header('Cache-Control', 'private, no-store')
    }
    const vary = (c.res.headers.get('vary') ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
    for (const name of ['Cookie', 'Authorization']) {
      if (!vary.some((v) => v.toLowerCase() === name.toLowerCase() || v === '*')) vary.push(name)
    }
    c.header('Vary', vary.join(', '))
  }
}

/**
 * Counts requests per key in fixed one-minute windows, in this process. Behind a load balancer
 * each instance counts its own share (docs/accounts.md).
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>()
  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Milliseconds to wait when over the limit, else 0 (and the request is counted). */
  take(key: string, now = Date.now()): number {
    if (this.#windows.size > 10_000) {
      for (const [k, w] of this.#windows)
        if (now - w.start >= this.windowMs) this.#windows.delete(k)
    }
    const w = this.#windows.get(key)
    if (!w || now - w.start >= this.windowMs) {
      this.#windows.set(key, { start: now, count: 1 })
      return 0
    }
    if (w.count >= this.limit) return w.start + this.windowMs - now
    w.count++
    return 0
  }
}

export const tooManyRequests = (waitMs: number) =>
  tooManyRequestsError(PROBLEM.tooManyChanges(Math.ceil(waitMs / 1000)), {
    extra: { retry_after: waitMs / 1000 },
  })

/** Limits state-changing requests per account (or per address for visitors). */
export function writeRateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') {
      return next()
    }
    const p = c.get('principal')
    const key = roleOf(p) && p.kind !== 'anonymous' ? `user:${p.user.id}` : `address:${p.address}`
    const wait = limiter.take(key)
    if (wait > 0) throw tooManyRequests(wait)
    await next()
  }
}
