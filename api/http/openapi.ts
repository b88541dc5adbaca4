import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi'
import type { z } from 'zod'
import { ACCESS, type Rule } from './access.js'
import { problemContent } from './schemas.js'

/** Helpers for describing routes in the OpenAPI document (see contract.ts for the bodies). */

/** A response with a JSON body (`type` for another JSON media type such as GeoJSON). */
export function jsonResponse(description: string, schema: z.ZodType, type = 'application/json') {
  return { description, content: { [type]: { schema } } }
}

/** A required JSON request body. */
export function jsonBody(schema: z.ZodType) {
  return { required: true, content: { 'application/json': { schema } } }
}

/** A problem+json response (RFC 9457). */
export function problemResponse(description: string) {
  return { description, content: problemContent }
}

/**
 * The problem answers every route can give by the middleware in front of it (app.ts), added to
 * each route of the document unless the route describes them itself: text PostgreSQL cannot
 * store in the URL (400), sign-in and access rules (401/403, from ACCESS), the origin and CSRF
 * check of changes (403), the write rate limit (429), a JSON body's size, type and text (413,
 * 415, 422) and an unreachable database (503).
 */
export function documentMiddlewareAnswers(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const def of registry.definitions) {
    if (def.type !== 'route') continue
    const route = def.route
    // Tiles describe themselves (tile-sources.ts).
    if (route.path.startsWith('/tiles/')) continue
    const method = route.method.toUpperCase()
    const rule: Rule | undefined =
      ACCESS[`${method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`] ??
      (route.path.startsWith('/reports/') ? ACCESS['GET /reports/:file'] : undefined)
    const change = method !== 'GET'
    const jsonIn = Boolean(route.request?.body?.content['application/json'])
    const signIn =
      rule === 'public' || rule === undefined
        ? 'Invalid or expired API token'
        : rule === 'read'
          ? 'Sign-in required (on a private map), or an invalid or expired API token'
          : 'Sign-in required, or an invalid or expired API token'
    const answers: Record<number, string> = {
      400: jsonIn
        ? 'Malformed JSON, or a query or path parameter holds text that cannot be stored'
        : 'Invalid parameter (a query or path parameter holds text that cannot be stored)',
      401: signIn,
      503: 'Database unreachable; Retry-After',
    }
    if (rule === 'session') {
      answers[403] = 'Needs a browser session (not an API token), or the CSRF check failed'
    } else if (rule !== undefined && rule !== 'public' && rule !== 'read' && rule !== 'signed-in') {
      answers[403] = `Needs the ${rule} role or higher${change ? ', or the CSRF check failed' : ''}`
    } else if (change) {
      answers[403] = 'The origin or CSRF check failed'
    }
    if (change && route.path.startsWith('/api/')) answers[429] = 'Too many changes; Retry-After'
    if (jsonIn) {
      answers[413] = 'Body too large'
      answers[415] = 'Body is not JSON'
      answers[422] = 'Invalid fields (or text that cannot be stored), each with its JSON Pointer'
    }
    const responses: RouteConfig['responses'] = { ...route.responses }
    for (const [status, description] of Object.entries(answers)) {
      responses[status] ??= problemResponse(description)
    }
    def.route = { ...route, responses }
  }
}
