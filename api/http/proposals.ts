import { randomUUID } from 'node:crypto'
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { z } from 'zod'
import type { AssetSchemas } from '../domain/asset.js'
import { atLeast } from '../domain/roles.js'
import { sha256 } from '../services/auth.js'
import type { Clock } from '../domain/clock.js'
import type { Proposal, Proposals } from '../services/proposals.js'
import type { AppEnv } from './env.js'
import { roleOf, signedInUser, viewOf } from './principal.js'
import { fromZod } from './problem.js'
import { forbidden, invalidInput, notFound as notFoundError } from '../domain/errors.js'
import { FIELD, LABEL, PROBLEM } from '../domain/messages.js'
import { toFeature, type FeatureView } from './schemas.js'
import { isUuid, readJson, readQuery } from './util.js'
import {
  approvedSchema,
  proposalListSchema,
  proposalSchema,
  queuedSchema,
  rejectedSchema,
} from './contract.js'
import { jsonBody, jsonResponse, problemResponse } from './openapi.js'

const suggestionBody = z.strictObject({
  action: z.enum(['create', 'update', 'delete']),
  asset_id: z.string().optional(),
  feature: z.unknown().optional().meta({
    description:
      'create: a body of POST /api/assets; update: a body of PATCH /api/assets/{id}; delete: none',
  }),
  note: z.string().trim().max(1000).optional(),
  /** Honeypot: hidden in the form; people leave it empty, form-filling bots do not. */
  website: z.string().max(1000).optional(),
})

const decisionBody = z.strictObject({ reason: z.string().trim().max(1000).optional() })
const rejectBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) })

const listQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  lang: z.enum(['nl', 'en']).optional(),
})

/** A proposal as JSON, with before and after as asset Features. */
export function proposalJson(p: Proposal, view: FeatureView) {
  return {
    ...p,
    before: p.before && toFeature(p.before, view),
    after: p.after && toFeature(p.after, view),
  }
}

const notFound = (id: string) => notFoundError(LABEL.proposal, id)

/** The moderation queue: anonymous suggestions in, moderators' decisions out. */
export function proposalRoutes(deps: {
  proposals: Proposals
  schemas: AssetSchemas
  clock: Clock
  trustProxy: boolean
}) {
  const { proposals, schemas, clock } = deps
  const app = new OpenAPIHono<AppEnv>()
  const view = (c: Context<AppEnv>) => viewOf(c, clock.now())
  const isModerator = (c: Context<AppEnv>) => atLeast(roleOf(c.get('principal')), 'moderator')

  const idParam = z.object({ id: z.string().meta({ description: 'Proposal id (uuid)' }) })
  const notFoundAnswer = problemResponse('No such proposal (or not yours)')
  const routes: RouteConfig[] = [
    {
      method: 'post',
      path: '/proposals',
      summary: 'An anonymous suggestion (when the setting allows it), to the moderation queue',
      description:
        'feature is validated as the body of POST /api/assets (create) or PATCH /api/assets/{id} (update); field errors point into it (/feature/…).',
      request: { body: jsonBody(suggestionBody) },
      responses: {
        202: jsonResponse('Queued for a moderator', queuedSchema),
        403: problemResponse('Suggestions without an account are off'),
        404: problemResponse('No such asset'),
        410: problemResponse('The asset was deleted'),
        429: problemResponse('Too many suggestions from this address; Retry-After'),
      },
    },
    {
      method: 'get',
      path: '/proposals',
      summary: 'Proposals: all for moderators, their own for contributors',
      request: { query: listQuery },
      responses: { 200: jsonResponse('Proposals, newest first', proposalListSchema) },
    },
    {
      method: 'get',
      path: '/proposals/{id}',
      summary: 'One proposal with before and after',
      request: { params: idParam },
      responses: { 200: jsonResponse('The proposal', proposalSchema), 404: notFoundAnswer },
    },
    {
      method: 'post',
      path: '/proposals/{id}/approve',
      summary: 'Moderator: apply a proposal',
      request: { params: idParam, body: jsonBody(decisionBody) },
      responses: {
        200: jsonResponse('Applied; the asset as it now is', approvedSchema),
        404: notFoundAnswer,
        409: problemResponse('Already decided, or the asset changed since'),
        410: problemResponse('The asset was deleted'),
      },
    },
    {
      method: 'post',
      path: '/proposals/{id}/reject',
      summary: 'Moderator: reject a proposal with a reason',
      request: { params: idParam, body: jsonBody(rejectBody) },
      responses: {
        200: jsonResponse('Rejected', rejectedSchema),
        404: notFoundAnswer,
        409: problemResponse('Already decided'),
      },
    },
  ]
  for (const route of routes) app.openAPIRegistry.registerPath(route)

  app.post('/proposals', async (c) => {
    const principal = c.get('principal')
    if (principal.kind === 'anonymous' && !c.get('settings').anonymous_suggestions) {
      throw forbidden(PROBLEM.suggestionsOff)
    }
    const body = await readJson(c, suggestionBody)
    if (body.website) {
      // Looks accepted to the bot; nothing is stored.
      return c.json({ proposal: { id: randomUUID(), status: 'pending' } }, 202)
    }
    if (body.action !== 'create' && !(body.asset_id && isUuid(body.asset_id))) {
      throw invalidInput(PROBLEM.whichPlace, {
        fields: [{ pointer: '/asset_id', code: 'required', message: FIELD.requiredToChange }],
      })
    }
    let payload = null
    if (body.action !== 'delete') {
      const schema = body.action === 'create' ? schemas.create : schemas.patch
      const parsed = schema.safeParse(body.feature)
      if (!parsed.success) {
        const error = fromZod(parsed.error, 'json', body.feature)
        throw invalidInput(error, {
          fields: error.fields.map((f) => ({ ...f, pointer: `/feature${f.pointer}` })),
        })
      }
      payload = parsed.data
    }
    const proposal = await proposals.submit({
      action: body.action,
      assetId: body.asset_id,
      payload,
      note: body.note || null,
      proposerId: principal.kind === 'anonymous' ? null : principal.user.id,
      addressHash: sha256(`suggestion:${principal.address}`),
    })
    return c.json({ proposal: proposalJson(proposal, view(c)) }, 202)
  })

  app.get('/proposals', async (c) => {
    const q = readQuery(c, listQuery)
    const list = await proposals.list({
      status: q.status,
      limit: q.limit,
      proposerId: isModerator(c) ? undefined : signedInUser(c).id,
    })
    const v = view(c)
    return c.json({ proposals: list.map((p) => proposalJson(p, v)) })
  })

  const readable = async (c: Context<AppEnv>, id: string) => {
    if (!isUuid(id)) throw notFound(id)
    const p = await proposals.get(id)
    // Someone else's proposal is simply not there for a contributor.
    if (!isModerator(c) && p.proposer.id !== signedInUser(c).id) throw notFound(id)
    return p
  }

  app.get('/proposals/:id', async (c) =>
    c.json(proposalJson(await readable(c, c.req.param('id')), view(c))),
  )

  app.post('/proposals/:id/approve', async (c) => {
    const id = c.req.param('id')
    if (!isUuid(id)) throw notFound(id)
    const body = await readJson(c, decisionBody)
    const { proposal, asset } = await proposals.approve(id, signedInUser(c).id, body.reason || null)
    const v = view(c)
    return c.json({ proposal: proposalJson(proposal, v), asset: toFeature(asset, v) })
  })

  app.post('/proposals/:id/reject', async (c) => {
    const id = c.req.param('id')
    if (!isUuid(id)) throw notFound(id)
    const body = await readJson(c, rejectBody)
    const proposal = await proposals.reject(id, signedInUser(c).id, body.reason)
    return c.json({ proposal: proposalJson(proposal, view(c)) })
  })

  return app
}
