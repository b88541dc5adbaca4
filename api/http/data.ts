import { OpenAPIHono } from '@hono/zod-openapi'
import { API_BASE } from './version.js'
import { z } from 'zod'
import { notFound } from '../domain/errors.js'
import { LABEL } from '../domain/messages.js'
import type { Database } from '../db/database.js'
import { hasAreaData } from '../services/areas.js'
import { REGIONS } from '../services/download/region.js'
import type { DownloadJobs } from '../services/download/jobs.js'
import type { AppEnv } from './env.js'
import { atLeast } from '../domain/roles.js'
import { actorOf, roleOf } from './principal.js'
import { fromZod, malformedJson } from './problem.js'
import { bboxQuery } from './query.js'
import { requireJsonBody } from './util.js'
import { dataStatusSchema, downloadJobSchema } from './contract.js'
import { jsonBody, jsonResponse, problemResponse } from './openapi.js'

const startBody = z
  .strictObject({
    region: z.enum(Object.keys(REGIONS) as [keyof typeof REGIONS]).optional(),
    gemeente: z
      .string()
      .regex(/^GM\d{4}$/, 'Give a gemeente code such as GM0995.')
      .optional(),
    bbox: bboxQuery,
    year: z.number().int().min(2020).max(2100).default(2023),
    osmUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({ description: 'OpenStreetMap file (.osm.pbf) to use instead of Overpass' }),
    refresh: z.boolean().default(false),
  })
  .refine((b) => [b.region, b.gemeente, b.bbox].filter(Boolean).length === 1, {
    message: 'Choose exactly one of region, gemeente and bbox.',
    path: ['region'],
  })

/** Loading real data for a region from the web app (admins), and whether there is any yet. */
export function dataRoutes(deps: {
  db: Database
  jobs: DownloadJobs
  pdokUrl: string
  overpassUrl: string
}) {
  const app = new OpenAPIHono<AppEnv>()

  app.get('/data/status', async (c) => {
    return c.json({
      empty: !(await hasAreaData(deps.db)),
      regions: Object.entries(REGIONS).map(([code, r]) => ({ code, name: r.name })),
      adminEnabled: atLeast(roleOf(c.get('principal')), 'admin'),
    })
  })

  app.use('/data/download', requireJsonBody('POST'))
  app.post('/data/download', async (c) => {
    let input: unknown
    try {
      input = await c.req.json()
    } catch (e) {
      throw malformedJson((e as Error).message)
    }
    const parsed = startBody.safeParse(input)
    if (!parsed.success) throw fromZod(parsed.error, 'json', input)
    const job = deps.jobs.start(
      {
        ...parsed.data,
        pdokUrl: deps.pdokUrl,
        overpassUrl: deps.overpassUrl,
        userAgent: 'Buurtkaart/0.1 (neighbourhood asset map; web app data download)',
      },
      actorOf(c),
    )
    c.header('location', `${API_BASE}/data/download/${job.id}`)
    return c.json(job, 202)
  })

  app.get('/data/download/:id', (c) => {
    const job = deps.jobs.get(c.req.param('id'))
    if (!job) throw notFound(LABEL.download, c.req.param('id'))
    return c.json(job)
  })

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/data/status',
    summary: 'Whether any areas are loaded, the named regions, whether the admin download is on',
    responses: { 200: jsonResponse('Status', dataStatusSchema) },
  })
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/data/download',
    summary: 'Admin: download and load a region (CBS areas, OpenStreetMap) in the background',
    request: { body: jsonBody(startBody) },
    responses: {
      202: jsonResponse('Started; Location names the job to poll', downloadJobSchema),
      409: problemResponse('A download is already running'),
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/data/download/{id}',
    summary: 'Admin: the progress of a download',
    request: { params: z.object({ id: z.string().meta({ description: 'Job id' }) }) },
    responses: {
      200: jsonResponse('The job', downloadJobSchema),
      404: problemResponse('No such job (jobs are forgotten on restart)'),
    },
  })

  return app
}
