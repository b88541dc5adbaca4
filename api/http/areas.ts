import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import { AREA_LEVELS } from '../domain/areas.js'
import { notFound } from '../domain/errors.js'
import { LABEL } from '../domain/messages.js'
import type { Database } from '../db/database.js'
import { findArea, findAreas } from '../services/areas.js'
import type { AppEnv } from './env.js'
import { assetFilterQuery } from './assets.js'
import { GEOJSON, problemContent } from './schemas.js'
import { areaCollectionSchema, areaFeatureSchema, type AreaFeature } from './contract.js'

type AreaGeometry = AreaFeature['geometry']

export function areaRoutes(deps: { db: Database }) {
  const app = new OpenAPIHono<AppEnv>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/areas',
      summary: 'CBS areas (gemeente, wijk, buurt, PC4) with inhabitants, as GeoJSON',
      request: {
        query: z.strictObject({
          level: z.enum(AREA_LEVELS).optional(),
          gemeente: assetFilterQuery.gemeente,
          bbox: assetFilterQuery.bbox,
          lang: assetFilterQuery.lang,
        }),
      },
      responses: {
        200: {
          description: 'Areas',
          content: { 'application/geo+json': { schema: areaCollectionSchema } },
        },
        400: { description: 'Invalid parameter', content: problemContent },
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const areas = await findAreas(deps.db, { level: q.level, gemeente: q.gemeente, bbox: q.bbox })
      return c.json(
        {
          type: 'FeatureCollection' as const,
          features: areas.map(({ geometry, ...properties }) => ({
            type: 'Feature' as const,
            id: properties.code,
            geometry: JSON.parse(geometry) as AreaGeometry,
            properties,
          })),
        },
        200,
        GEOJSON,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/areas/{code}',
      summary: 'One area with its land area and active assets per kind',
      request: { params: z.object({ code: z.string().max(20) }) },
      responses: {
        200: {
          description: 'The area',
          content: { 'application/geo+json': { schema: areaFeatureSchema } },
        },
        404: { description: 'No such area', content: problemContent },
      },
    }),
    async (c) => {
      const { code } = c.req.valid('param')
      const area = await findArea(deps.db, code)
      if (!area) throw notFound(LABEL.area, code)
      const { geometry, ...properties } = area
      return c.json(
        {
          type: 'Feature' as const,
          id: code,
          geometry: JSON.parse(geometry) as AreaGeometry,
          properties,
        },
        200,
        GEOJSON,
      )
    },
  )

  return app
}
