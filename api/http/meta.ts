import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { PRECISIONS, STATUSES, WHEELCHAIR } from '../domain/asset.js'
import { KINDS, TARGET_GROUPS } from '../domain/kinds.js'
import type { Backend } from '../db/create-db.js'
import { databaseHealth, type DatabaseHealth } from '../services/health.js'
import type { Database } from '../db/database.js'
import type { AppEnv } from './env.js'
import { databaseUnavailable } from './problem.js'
import { VALUE_NAME } from '../domain/messages.js'
import { isDatabaseUnavailable } from '../db/availability.js'
import { problemContent } from './schemas.js'
import { healthSchema, kindsSchema, openingHoursSchema, type Kinds } from './contract.js'
import { readOpeningHours } from '../domain/opening-hours.js'
import { validationFailed } from '../domain/errors.js'
import { z } from 'zod'

const ENUM_LABELS = VALUE_NAME satisfies {
  wheelchair: Record<(typeof WHEELCHAIR)[number], unknown>
  status: Record<(typeof STATUSES)[number], unknown>
  location_precision: Record<(typeof PRECISIONS)[number], unknown>
}

export function metaRoutes(deps: { db: Database; backend: Backend }) {
  const app = new OpenAPIHono<AppEnv>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      summary: 'Is the service and its database up?',
      responses: {
        200: {
          description: 'Healthy',
          content: { 'application/json': { schema: healthSchema } },
        },
        503: { description: 'Database unreachable', content: problemContent },
      },
    }),
    async (c) => {
      let health: DatabaseHealth
      try {
        health = await databaseHealth(deps.db)
      } catch (e) {
        // Down (503 with Retry-After, for load balancers and monitors) or a real fault (500).
        if (!isDatabaseUnavailable(e)) throw e
        throw databaseUnavailable({ database: { reachable: false, backend: deps.backend } })
      }
      return c.json(
        {
          status: 'ok' as const,
          database: { reachable: true, backend: deps.backend, ...health },
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/kinds',
      summary: 'The asset taxonomy and other value lists, with Dutch and English labels',
      responses: {
        200: { description: 'Taxonomy', content: { 'application/json': { schema: kindsSchema } } },
      },
    }),
    (c) => {
      c.header('cache-control', 'public, max-age=3600')
      return c.json(
        {
          kinds: KINDS.map((k) => ({
            code: k.code,
            label: k.label,
            group: k.group,
            is_meeting_place: k.meetingPlace,
            osm_tags: k.osmTags,
          })),
          target_groups: TARGET_GROUPS,
          // Object.entries loses the codes' types; kindsSchema names them.
          ...(Object.fromEntries(
            Object.entries(ENUM_LABELS).map(([field, values]) => [
              field,
              Object.entries(values).map(([code, l]) => ({ code, label: l })),
            ]),
          ) as Pick<Kinds, keyof typeof ENUM_LABELS>),
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/opening-hours',
      summary:
        'Reads opening hours as a person writes them ("di-do 10-16 uur", "ma t/m vr 9:00-17:00") ' +
        'and gives the OpenStreetMap value an asset would store: a preview for the place form',
      request: {
        query: z.object({
          text: z.string().max(500).meta({
            description: 'Opening hours, Dutch notation or OSM syntax',
            example: 'di-do 10-16 uur',
          }),
        }),
      },
      responses: {
        200: {
          description: 'The OSM opening_hours value',
          content: { 'application/json': { schema: openingHoursSchema } },
        },
        422: {
          description: 'Not readable; the error says what to write instead',
          content: problemContent,
        },
      },
    }),
    (c) => {
      const read = readOpeningHours(c.req.valid('query').text)
      if (!read.ok) {
        throw validationFailed([
          { pointer: 'text', in: 'query', code: 'invalid_opening_hours', message: read.message },
        ])
      }
      c.header('cache-control', 'public, max-age=3600')
      return c.json({ opening_hours: read.value, notation: read.notation }, 200)
    },
  )

  return app
}
