import type { MiddlewareHandler } from 'hono'

/**
 * The API's version (semantic versioning, see CHANGELOG.md). Its major version is in every path
 * (`/api/v1/…`, NLGov API Design Rule /core/uri-version); the full version is in the `API-Version`
 * header of every answer (/core/version-header).
 */
export const API_VERSION = '1.0.0'

/** Where version 1 of the API lives. */
export const API_BASE = '/api/v1'

/**
 * The paths of the API before it had a version in its path. They still answer, as aliases of
 * version 1, and say so in every answer; they go in version 2.
 */
export const LEGACY_PREFIXES = ['/api', '/tiles', '/reports'] as const

/** When the unversioned paths became deprecated (RFC 9745 `Deprecation`: a Unix time). */
const DEPRECATED_AT = Date.parse('2026-12-06T00:00:00Z') / 1000

/**
 * Paths whose name changed in version 1: the NLGov rule on path names (kebab-case segments)
 * allows no file extension in a first segment.
 */
export const RENAMED: Readonly<Record<string, string>> = {
  '/api/export.geojson': `${API_BASE}/exports/assets.geojson`,
  '/api/export.csv': `${API_BASE}/exports/assets.csv`,
}

/** The version-1 path of an unversioned one (`/api/assets` → `/api/v1/assets`); null if none. */
export function versionedPath(path: string): string | null {
  if (path === API_BASE || path.startsWith(`${API_BASE}/`)) return null
  const renamed = RENAMED[path]
  if (renamed) return renamed
  if (path.startsWith('/api/')) return `${API_BASE}${path.slice('/api'.length)}`
  if (path.startsWith('/tiles/') || path.startsWith('/reports/')) return `${API_BASE}${path}`
  return null
}

/** `API-Version` on every answer, problems and static files included. */
export function apiVersionHeader(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    c.res.headers.set('API-Version', API_VERSION)
  }
}

/**
 * Marks answers from an unversioned path as deprecated (RFC 9745 `Deprecation`) and names the
 * version-1 path that replaces it (`Link: rel="successor-version"`, RFC 5829).
 */
export function deprecatedAlias(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    // The path as sent (percent-encoded), so the header holds only characters a header may.
    const successor = versionedPath(new URL(c.req.url).pathname)
    if (!successor) return
    c.res.headers.set('Deprecation', `@${DEPRECATED_AT}`)
    c.res.headers.append('Link', `<${successor}>; rel="successor-version"`)
  }
}
