import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { API_BASE } from './version.js'
import { z } from 'zod'
import type { AssetSchemas, AssetStatus } from '../domain/asset.js'
import { isKindCode, type KindCode } from '../domain/kinds.js'
import { unstorableText } from '../domain/text.js'
import type { AssetCursor, AssetFilter } from '../repositories/assets.js'
import type { AssetService } from '../services/assets.js'
import type { AppEnv } from './env.js'
import { forbidden, invalidParameter, notFound, preconditionRequired } from '../domain/errors.js'
import { FIELD, LABEL, PROBLEM } from '../domain/messages.js'
import {
  assetCollectionSchema,
  assetFeatureSchema,
  GEOJSON,
  problemContent,
  toFeature,
} from './schemas.js'
import { bboxQuery, commaList, isStatus, newestFirstQuery } from './query.js'
import { changesSchema, historySchema, proposalSchema } from './contract.js'
import { jsonBody, jsonResponse, problemResponse } from './openapi.js'
import { etagOf, isUuid, parseIfMatch, readJson, readQuery, requireJsonBody } from './util.js'
import { actorOf, roleOf, viewOf } from './principal.js'
import { atLeast } from '../domain/roles.js'
import { versionConflict } from '../services/assets.js'
import type { Clock } from '../domain/clock.js'
import type { Proposals } from '../services/proposals.js'
import type { HistoryEntry } from '../repositories/history.js'
import type { Context } from 'hono'
import { proposalJson } from './proposals.js'
import type { FeatureView } from './schemas.js'

/** The filters shared by the list and the exports. */
export const assetFilterQuery = {
  bbox: bboxQuery,
  kind: commaList(isKindCode, 'kind').meta({ description: 'Comma-separated kind codes' }),
  status: commaList(isStatus, 'status').meta({
    description: 'Comma-separated: active,planned,closed',
  }),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: 'Text in name, description, organisation or address' }),
  gemeente: z
    .string()
    .regex(/^GM\d{4}$/)
    .optional()
    .meta({ description: 'CBS gemeente code, e.g. GM0995' }),
  lang: z.enum(['nl', 'en']).optional(),
}

export function toFilter(q: {
  bbox?: readonly [number, number, number, number] | undefined
  kind?: KindCode[] | undefined
  status?: AssetStatus[] | undefined
  q?: string | undefined
  gemeente?: string | undefined
}): AssetFilter {
  return {
    bbox: q.bbox,
    kinds: q.kind,
    statuses: q.status,
    q: q.q || undefined,
    gemeente: q.gemeente,
  }
}

function encodeCursor(c: AssetCursor): string {
  return Buffer.from(JSON.stringify([c.name, c.id])).toString('base64url')
}

function decodeCursor(text: string): AssetCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      // A name the database could not compare: not one of ours.
      !unstorableText(value[0]) &&
      typeof value[1] === 'string' &&
      isUuid(value[1])
    ) {
      return { name: value[0], id: value[1] }
    }
  } catch {
    // fall through: not a cursor of ours
  }
  return undefined
}

const idParam = z.object({ id: z.string().meta({ description: 'Asset id (uuid)' }) })

const notFoundResponse = { description: 'No such asset', content: problemContent }

const proposedSchema = z
  .object({ proposal: proposalSchema })
  .meta({ description: 'Queued as a proposal for a moderator' })

/** How long a trusted contributor can undo their own deletion. */
export const UNDO_MINUTES = 15

/** A history entry as JSON; visitors see neither contact details nor who made a change. */
function historyJson(e: HistoryEntry, view: FeatureView) {
  const anonymousReader = !view.contacts
  return {
    ...e,
    actor: anonymousReader && e.actor.startsWith('user:') ? 'user' : e.actor,
    actor_name: anonymousReader ? null : e.actor_name,
    before: e.before && toFeature(e.before, view),
    after: e.after && toFeature(e.after, view),
  }
}

const revertBody = z.strictObject({
  version: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  note: z.string().trim().max(1000).optional(),
})

const changesQuery = newestFirstQuery(50)

export function assetRoutes(deps: {
  /** On the primary: one asset, its history, and every change. */
  assets: AssetService
  /** The list (may be a read replica, see createApp); `assets` when absent. */
  reads?: Pick<AssetService, 'list'>
  schemas: AssetSchemas
  proposals: Proposals
  clock: Clock
}) {
  const { assets, schemas, proposals, clock } = deps
  const app = new OpenAPIHono<AppEnv>()
  const view = (c: Context<AppEnv>) => viewOf(c, clock.now())
  /** Contributors propose; trusted contributors and up change directly. */
  const proposes = (c: Context<AppEnv>) => !atLeast(roleOf(c.get('principal')), 'trusted')
  /**
   * Undo for trusted contributors: they may bring back a place they deleted themselves in the
   * last UNDO_MINUTES; anything older (or someone else's deletion) needs a moderator.
   */
  const requireOwnRecentDelete = async (c: Context<AppEnv>, id: string) => {
    const entries = await assets.history(id)
    const last = entries.at(-1)
    const recent =
      last?.action === 'delete' &&
      last.actor === actorOf(c) &&
      clock.now().getTime() - new Date(last.at).getTime() <= UNDO_MINUTES * 60_000
    if (!recent) {
      throw forbidden(PROBLEM.undoOnlyOwn(UNDO_MINUTES))
    }
  }
  const proposerId = (c: Context<AppEnv>) => {
    const p = c.get('principal')
    return p.kind === 'anonymous' ? null : p.user.id
  }

  const requireId = (id: string) => {
    if (!isUuid(id)) throw notFound(LABEL.asset, id)
  }

  const requireVersion = (header: string | undefined, required: boolean) => {
    const v = parseIfMatch(header)
    if (v === undefined && required) {
      throw preconditionRequired(PROBLEM.versionMissing, {
        fields: [{ pointer: 'If-Match', in: 'header', code: 'required', message: FIELD.required }],
      })
    }
    if (v === 'invalid') {
      throw invalidParameter(PROBLEM.invalidVersion, {
        fields: [
          {
            pointer: 'If-Match',
            in: 'header',
            code: 'invalid_format',
            message: FIELD.expectedVersion,
          },
        ],
      })
    }
    return v
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets',
      summary: 'List assets (GeoJSON FeatureCollection, paginated by cursor)',
      request: {
        query: z.strictObject({
          ...assetFilterQuery,
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          cursor: z.string().max(2000).optional(),
        }),
      },
      responses: {
        200: {
          description: 'A page of assets',
          content: { 'application/geo+json': { schema: assetCollectionSchema } },
        },
        400: { description: 'Invalid parameter', content: problemContent },
      },
    }),
    async (c) => {
      const query = c.req.valid('query')
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
      if (query.cursor !== undefined && !after) {
        throw invalidParameter(PROBLEM.invalidCursor, {
          fields: [
            {
              pointer: 'cursor',
              in: 'query',
              code: 'invalid_format',
              message: FIELD.unknownCursor,
            },
          ],
        })
      }
      const v = view(c)
      const page = await (deps.reads ?? assets).list(toFilter(query), {
        limit: query.limit + 1,
        after,
      })
      const hasMore = page.length > query.limit
      const items = hasMore ? page.slice(0, query.limit) : page
      const last = items.at(-1)
      const next = hasMore && last ? encodeCursor(last) : null
      const links = []
      if (next) {
        const url = new URL(c.req.url)
        url.searchParams.set('cursor', next)
        links.push({ rel: 'next', href: url.pathname + url.search, type: 'application/geo+json' })
      }
      return c.json(
        {
          type: 'FeatureCollection' as const,
          features: items.map((a) => toFeature(a, v)),
          numberReturned: items.length,
          next_cursor: next,
          links,
        },
        200,
        GEOJSON,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}',
      summary: 'One asset, with its version as ETag',
      request: { params: idParam },
      responses: {
        200: {
          description: 'The asset',
          content: { 'application/geo+json': { schema: assetFeatureSchema } },
        },
        304: { description: 'Not modified (If-None-Match)' },
        404: notFoundResponse,
        410: { description: 'Deleted (restorable)', content: problemContent },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      requireId(id)
      const asset = await assets.get(id)
      const etag = etagOf(asset.version)
      c.header('etag', etag)
      c.header('vary', 'Cookie, Authorization')
      if (c.req.header('if-none-match') === etag) return c.body(null, 304)
      return c.json(toFeature(asset, view(c)), 200, GEOJSON)
    },
  )

  app.use('/assets', requireJsonBody('POST'))
  app.openapi(
    createRoute({
      method: 'post',
      path: '/assets',
      summary: 'Add an asset',
      request: {
        body: { required: true, content: { 'application/json': { schema: schemas.create } } },
      },
      responses: {
        202: {
          description: 'Queued as a proposal for a moderator (contributor role)',
          content: { 'application/json': { schema: proposedSchema } },
        },
        201: {
          description: 'Created',
          content: { 'application/geo+json': { schema: assetFeatureSchema } },
        },
        400: { description: 'Malformed JSON', content: problemContent },
        413: { description: 'Body too large', content: problemContent },
        415: { description: 'Not JSON', content: problemContent },
        422: { description: 'Invalid fields', content: problemContent },
      },
    }),
    async (c) => {
      if (proposes(c)) {
        const proposal = await proposals.submit({
          action: 'create',
          payload: c.req.valid('json'),
          proposerId: proposerId(c),
        })
        return c.json({ proposal: proposalJson(proposal, view(c)) }, 202)
      }
      const created = await assets.create(c.req.valid('json'), actorOf(c))
      c.header('location', `${API_BASE}/assets/${created.id}`)
      c.header('etag', etagOf(created.version))
      return c.json(toFeature(created, view(c)), 201, GEOJSON)
    },
  )

  app.use('/assets/:id', requireJsonBody('PATCH'))
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/assets/{id}',
      summary: 'Change an asset (requires If-Match with the version you edited)',
      request: {
        params: idParam,
        headers: z.object({
          'if-match': z.string().optional().meta({ description: 'ETag, e.g. "v3"' }),
        }),
        body: { required: true, content: { 'application/json': { schema: schemas.patch } } },
      },
      responses: {
        202: {
          description: 'Queued as a proposal for a moderator (contributor role)',
          content: { 'application/json': { schema: proposedSchema } },
        },
        200: {
          description: 'Changed',
          content: { 'application/geo+json': { schema: assetFeatureSchema } },
        },
        404: notFoundResponse,
        410: { description: 'Deleted', content: problemContent },
        412: {
          description: 'Stale version; the body holds the current asset',
          content: problemContent,
        },
        422: { description: 'Invalid fields', content: problemContent },
        428: { description: 'If-Match missing', content: problemContent },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      requireId(id)
      const version = requireVersion(c.req.header('if-match'), true) as number | '*'
      if (proposes(c)) {
        const current = await assets.get(id)
        // The same answer a direct edit of a stale version gets (and nothing is written).
        if (version !== '*' && version !== current.version) throw versionConflict(current, version)
        const proposal = await proposals.submit({
          action: 'update',
          assetId: id,
          payload: c.req.valid('json'),
          proposerId: proposerId(c),
        })
        return c.json({ proposal: proposalJson(proposal, view(c)) }, 202)
      }
      const updated = await assets.update(id, version, c.req.valid('json'), actorOf(c))
      c.header('etag', etagOf(updated.version))
      return c.json(toFeature(updated, view(c)), 200, GEOJSON)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/assets/{id}',
      summary: 'Delete an asset (soft; restorable). If-Match is checked when sent.',
      request: { params: idParam },
      responses: {
        202: {
          description: 'Queued as a proposal for a moderator (contributor role)',
          content: { 'application/json': { schema: proposedSchema } },
        },
        204: { description: 'Deleted' },
        404: notFoundResponse,
        410: { description: 'Already deleted', content: problemContent },
        412: { description: 'Stale version', content: problemContent },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      requireId(id)
      const version = requireVersion(c.req.header('if-match'), false)
      if (proposes(c)) {
        const current = await assets.get(id)
        if (typeof version === 'number' && version !== current.version) {
          throw versionConflict(current, version)
        }
        const proposal = await proposals.submit({
          action: 'delete',
          assetId: id,
          payload: null,
          proposerId: proposerId(c),
        })
        return c.json({ proposal: proposalJson(proposal, view(c)) }, 202)
      }
      const deleted = await assets.remove(id, version, actorOf(c))
      c.header('etag', etagOf(deleted.version))
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assets/{id}/restore',
      summary:
        'Bring back a deleted asset (moderators; trusted contributors their own deletion within 15 minutes)',
      request: { params: idParam },
      responses: {
        200: {
          description: 'Restored',
          content: { 'application/geo+json': { schema: assetFeatureSchema } },
        },
        404: notFoundResponse,
        409: { description: 'Not deleted', content: problemContent },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      requireId(id)
      if (!atLeast(roleOf(c.get('principal')), 'moderator')) await requireOwnRecentDelete(c, id)
      const restored = await assets.restore(id, actorOf(c))
      c.header('etag', etagOf(restored.version))
      return c.json(toFeature(restored, view(c)), 200, GEOJSON)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/history',
      summary: 'Every change to an asset, oldest first (append-only)',
      request: { params: idParam },
      responses: {
        200: {
          description: 'History entries',
          content: {
            'application/json': { schema: historySchema },
          },
        },
        404: notFoundResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      requireId(id)
      const entries = await assets.history(id)
      const v = view(c)
      return c.json(
        {
          asset_id: id,
          entries: entries.map((e) => historyJson(e, v)),
        },
        200,
      )
    },
  )

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/assets/{id}/verify',
    summary: 'Trusted and up: mark a place as checked today',
    request: { params: idParam },
    responses: {
      200: jsonResponse('Checked', assetFeatureSchema, 'application/geo+json'),
      404: notFoundResponse,
      410: problemResponse('Deleted'),
      412: problemResponse('Changed at the same moment; the body holds the current asset'),
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/assets/{id}/revert',
    summary: 'Moderator: put a place back to an earlier version',
    request: { params: idParam, body: jsonBody(revertBody) },
    responses: {
      200: jsonResponse('Put back, as a new version', assetFeatureSchema, 'application/geo+json'),
      404: notFoundResponse,
      422: problemResponse('No such earlier version'),
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/changes',
    summary: 'Moderator: recent changes over all places, newest first',
    request: { query: changesQuery },
    responses: { 200: jsonResponse('Changes; page back with before=<id>', changesSchema) },
  })

  app.post('/assets/:id/verify', async (c) => {
    const id = c.req.param('id')
    requireId(id)
    const role = roleOf(c.get('principal')) as string
    const verified = await assets.verify(id, role, actorOf(c))
    c.header('etag', etagOf(verified.version))
    return c.json(toFeature(verified, view(c)), 200, GEOJSON)
  })

  app.post('/assets/:id/revert', async (c) => {
    const id = c.req.param('id')
    requireId(id)
    const body = await readJson(c, revertBody)
    const reverted = await assets.revert(id, body.version, actorOf(c), body.note)
    c.header('etag', etagOf(reverted.version))
    return c.json(toFeature(reverted, view(c)), 200, GEOJSON)
  })

  app.get('/changes', async (c) => {
    const q = readQuery(c, changesQuery)
    const entries = await assets.changes(q)
    const v = view(c)
    return c.json({ entries: entries.map((e) => ({ ...historyJson(e, v), id: e.id })) })
  })

  return app
}
