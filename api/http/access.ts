import type { Role } from '../domain/roles.js'
import { versionedPath } from './version.js'

/**
 * Who may call what. `public`: anyone, always. `read`: anyone while the map is public (setting
 * `public_map`), otherwise signed-in users. `signed-in`: any account. A role: that role or a
 * higher one. `session`: signed in with a password in a browser session, not an API token (a
 * token must not mint tokens or change its owner's password). Keys are `METHOD path` as Hono registers them. A route missing here is refused,
 * and the authorisation test (generated from the app's routes) fails.
 */
export type Rule = 'public' | 'read' | 'signed-in' | 'session' | Role

const UNVERSIONED: Readonly<Record<string, Rule>> = {
  'GET /': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/health': 'public',
  'GET /api/kinds': 'public',
  'GET /api/opening-hours': 'public',
  'GET /toegankelijkheid': 'public',
  'GET /accessibility': 'public',
  'GET /toegankelijkheid.css': 'public',
  'GET /api/settings': 'public',
  'PATCH /api/settings': 'admin',

  'GET /api/auth/me': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed-in',
  'POST /api/auth/logout-all': 'session',
  'GET /api/me/export': 'signed-in',
  'POST /api/me/password': 'session',
  'GET /api/tokens': 'signed-in',
  'POST /api/tokens': 'session',
  'DELETE /api/tokens/:id': 'session',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/:id': 'admin',
  'DELETE /api/users/:id': 'admin',
  'GET /api/audit': 'admin',

  'GET /api/assets': 'read',
  'GET /api/assets/:id': 'read',
  'GET /api/assets/:id/history': 'read',
  // Contributors' writes become proposals; trusted contributors and up write directly.
  'POST /api/assets': 'contributor',
  'PATCH /api/assets/:id': 'contributor',
  'DELETE /api/assets/:id': 'contributor',
  'POST /api/assets/:id/verify': 'trusted',
  // Trusted contributors only their own deletion of the last minutes (undo); see the handler.
  'POST /api/assets/:id/restore': 'trusted',
  'POST /api/assets/:id/revert': 'moderator',
  'GET /api/changes': 'moderator',

  // Anonymous suggestions, when the setting allows them; accounts propose through /api/assets.
  'POST /api/proposals': 'read',
  'GET /api/proposals': 'contributor',
  'GET /api/proposals/:id': 'contributor',
  'POST /api/proposals/:id/approve': 'moderator',
  'POST /api/proposals/:id/reject': 'moderator',

  'GET /api/areas': 'read',
  'GET /api/areas/:code': 'read',
  'GET /api/coverage': 'read',
  'GET /api/hexes': 'read',
  'GET /api/counted': 'read',
  'GET /api/scenario-preview': 'read',
  'GET /api/suggestions': 'read',
  'GET /api/scenarios': 'read',
  'GET /api/scenarios/:id': 'read',
  'GET /api/scenarios/:id/coverage': 'read',
  'POST /api/scenarios': 'contributor',
  'GET /reports/report.css': 'public',
  'GET /reports/report.js': 'public',
  'GET /reports/:file': 'read',
  // Vector tiles and their TileJSON: as readable as the map (see api/http/tiles.ts).
  'GET /tiles/:layer/:z/:x/:y': 'read',
  'GET /tiles/:tileset': 'read',
  'GET /api/export.geojson': 'read',
  'GET /api/export.csv': 'read',
  'POST /api/import': 'admin',
  'GET /api/network': 'read',
  'POST /api/network/import': 'admin',
  'GET /api/data/status': 'read',
  'POST /api/data/download': 'admin',
  'GET /api/data/download/:id': 'admin',
}

/** OGC API Features (api/http/ogc.ts): as readable as the map, like /api/v1/assets. */
const OGC: Readonly<Record<string, Rule>> = {
  'GET /api/v1/ogc': 'read',
  'GET /api/v1/ogc/conformance': 'read',
  'GET /api/v1/ogc/collections': 'read',
  'GET /api/v1/ogc/collections/:collectionId': 'read',
  'GET /api/v1/ogc/collections/:collectionId/items': 'read',
  'GET /api/v1/ogc/collections/:collectionId/items/:featureId': 'read',
}

/**
 * Every route under version 1 of the API (`/api/v1/…`) has the rule of its unversioned alias
 * (`/api/…`, `/tiles/…`, `/reports/…`), which still answers; the web app's page is not versioned.
 */
export const ACCESS: Readonly<Record<string, Rule>> = {
  ...UNVERSIONED,
  ...Object.fromEntries(
    Object.entries(UNVERSIONED).flatMap(([key, rule]) => {
      const [method, path] = key.split(' ') as [string, string]
      const versioned = versionedPath(path)
      return versioned ? [[`${method} ${versioned}`, rule]] : []
    }),
  ),
  ...OGC,
}
