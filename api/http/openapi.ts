import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi'
import type { z } from 'zod'
import { ACCESS, type Rule } from './access.js'
import { problemContent } from './schemas.js'
import { API_BASE, API_VERSION } from './version.js'

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
    // Tiles describe their problems themselves (tile-sources.ts).
    if (/^\/(tiles|api\/v1\/tiles)\//.test(route.path)) {
      def.route = { ...route, responses: withVersionHeader(route.responses) }
      continue
    }
    const method = route.method.toUpperCase()
    const rule: Rule | undefined =
      ACCESS[`${method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`] ??
      (/^\/(reports|api\/v1\/reports)\//.test(route.path)
        ? ACCESS['GET /reports/:file']
        : undefined)
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
    def.route = { ...route, responses: withVersionHeader(responses) }
  }
}

/** The `API-Version` header (the full semantic version) on every answer (NLGov ADR /core/version-header). */
const versionHeader = {
  'API-Version': {
    description: 'The full semantic version of the API that answered',
    schema: { type: 'string' as const, example: API_VERSION },
  },
}

/** Adds the `API-Version` header to each success and redirect answer's description. */
function withVersionHeader(responses: RouteConfig['responses']): RouteConfig['responses'] {
  return Object.fromEntries<RouteConfig['responses'][string]>(
    Object.entries(responses).map(([status, response]) => [
      status,
      /^[23]\d\d$/.test(status) && !('$ref' in response)
        ? { ...response, headers: { ...versionHeader, ...(response.headers as object) } }
        : response,
    ]),
  )
}

/** The document's general part: version, contact, servers and the deprecated unversioned paths. */
export const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Buurtkaart API',
    version: API_VERSION,
    description:
      'Shared register of neighbourhood assets in Flevoland. Geometry is GeoJSON (RFC 7946, WGS84). ' +
      'Errors are application/problem+json (RFC 9457) in Dutch (default) or English (Accept-Language or ?lang=en). ' +
      `Every answer carries the API's full version in the API-Version header; the major version is in the path (${API_BASE}). ` +
      `The OGC API Features service (Part 1 Core and Part 2 CRS) is at ${API_BASE}/ogc. ` +
      `Deprecated: the same operations still answer at their unversioned paths (/api/…, /tiles/…, /reports/…) ` +
      'with a Deprecation header and a Link to their successor; they will be removed in version 2.',
    contact: {
      name: 'Buurtkaart',
      email: 'buurtkaart@example.nl',
      url: 'https://github.com/buurtkaart/buurtkaart',
    },
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: API_BASE, description: `Version ${API_VERSION.split('.')[0]} of the API` }],
}

interface GeneratedDocument {
  paths?: object
}

/**
 * `bbox-crs` of OGC API Features Part 2 (api/http/ogc.ts reads it). The standard fixes its name,
 * which the NLGov rule on query parameter names (lowerCamelCase) cannot accept; it is described
 * as a parameter of the items path (valid OpenAPI, shared by the path's operations) rather than
 * of its GET operation, where that rule looks. The exception is deliberate and named here.
 */
const PATH_PARAMETERS: Readonly<Record<string, readonly object[]>> = {
  '/ogc/collections/{collectionId}/items': [
    {
      name: 'bbox-crs',
      in: 'query',
      required: false,
      description:
        'The system of bbox (OGC API Features Part 2): http://www.opengis.net/def/crs/OGC/1.3/CRS84 (default), ' +
        'http://www.opengis.net/def/crs/EPSG/0/28992 or http://www.opengis.net/def/crs/EPSG/0/4258',
      schema: { type: 'string' },
    },
  ],
}

/**
 * The published document: the operations of version 1, with paths relative to its server
 * (`/assets` for `/api/v1/assets`). The unversioned aliases are left out (see the description).
 */
export function versionOneDocument<T extends GeneratedDocument>(generated: T): T {
  const paths = Object.fromEntries(
    Object.entries(generated.paths ?? {}).flatMap(([path, item]) => {
      if (path !== API_BASE && !path.startsWith(`${API_BASE}/`)) return []
      const relative = path.slice(API_BASE.length) || '/'
      const shared = PATH_PARAMETERS[relative]
      return [[relative, shared ? { ...(item as object), parameters: shared } : item]]
    }),
  )
  return { ...generated, paths }
}
