import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import { API_BASE } from './version.js'
import type { Context } from 'hono'
import { z } from 'zod'
import { invalidInput, notFound } from '../domain/errors.js'
import { FIELD, LABEL, PROBLEM } from '../domain/messages.js'
import { bboxContains, type Bbox } from '../domain/geo.js'
import { isKindCode, KIND_CODES, type KindCode } from '../domain/kinds.js'
import { MODES, type Mode } from '../domain/reach.js'
import { FIGURE_RESOLUTION, type SurfaceResolution } from '../domain/surface.js'
import type { Database } from '../db/database.js'
import {
  findScenario,
  listScenarios,
  saveScenario,
  scenarioCoverage,
} from '../services/scenarios.js'
import type { Analysis } from '../services/analysis.js'
import type { Clock } from '../domain/clock.js'
import type { Planning, ProposedPlace } from '../services/planning.js'
import { DISTANCE_METHOD, people } from '../services/figures.js'
import type { AppEnv } from './env.js'
import { actorOf } from './principal.js'
import { commaList, thresholdFor } from './query.js'
import { isUuid, readJson, readQuery } from './util.js'
import {
  scenarioCoverageSchema,
  scenarioListSchema,
  scenarioPreviewSchema,
  scenarioSchema,
  suggestionsSchema,
} from './contract.js'
import { jsonBody, jsonResponse, problemResponse } from './openapi.js'

const round = (v: number | null, decimals: number) =>
  v === null || !Number.isFinite(v) ? null : Number(v.toFixed(decimals))

const settingsQuery = {
  area: z.string().min(1).max(20).default('province'),
  mode: z.enum(MODES).default('line'),
  threshold: z.coerce.number().min(50).max(50_000).optional(),
  res: z.coerce.number().int().min(7).max(10).default(FIGURE_RESOLUTION),
  lang: z.enum(['nl', 'en']).optional(),
}

/** `lon,lat,kind;lon,lat,kind` — proposed places in a URL (a permalink of the preview). */
const addParam = z
  .string()
  .max(5000)
  .optional()
  .transform((text, ctx) => {
    if (!text) return []
    const out: ProposedPlace[] = []
    for (const part of text.split(';')) {
      const [lon, lat, kind] = part.split(',')
      const x = Number(lon)
      const y = Number(lat)
      if (!Number.isFinite(x) || !Number.isFinite(y) || !isKindCode(kind ?? '')) {
        ctx.addIssue({
          code: 'custom',
          message: FIELD.proposedPlacesFormat.en,
          params: { code: 'invalid_format', nl: FIELD.proposedPlacesFormat.nl },
        })
        return z.NEVER
      }
      out.push({ lon: x, lat: y, kind: kind as KindCode })
    }
    return out.slice(0, 50)
  })

const idList = z
  .string()
  .max(8000)
  .optional()
  .transform((text) => (text ? text.split(',').filter(Boolean) : []))
  .refine((ids) => ids.every(isUuid), 'Comma-separated asset ids (uuid).')

const previewQuery = z.strictObject({ ...settingsQuery, add: addParam, close: idList })

const suggestionsQuery = z.strictObject({
  ...settingsQuery,
  k: z.coerce.number().int().min(1).max(50).default(5),
  candidates: z.enum(['cells', 'assets']).default('cells'),
  kind: commaList(isKindCode, 'kind'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
})

const scenarioBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  area: z.string().min(1).max(20),
  mode: z.enum(MODES).default('walk'),
  threshold: z.number().min(50).max(50_000).optional(),
  res: z.number().int().min(7).max(10).default(FIGURE_RESOLUTION),
  add: z
    .array(
      z.strictObject({
        lon: z.number().min(-180).max(180),
        lat: z.number().min(-90).max(90),
        kind: z.enum(KIND_CODES),
        name: z.string().trim().max(200).optional(),
      }),
    )
    .max(50)
    .default([]),
  close: z.array(z.uuid()).max(200).default([]),
})

const outside = (index: number, bbox: Bbox) =>
  invalidInput(PROBLEM.proposedOutsideRegion, {
    fields: [
      {
        pointer: `/add/${index}`,
        code: 'outside_region',
        message: FIELD.outsideBox(bbox.join(', ')),
      },
    ],
  })

/** What-if scenarios and suggestions for the next meeting place. */
export function planningRoutes(deps: {
  db: Database
  analysis: Analysis
  planning: Planning
  clock: Clock
  regionBbox: Bbox
}) {
  const { analysis, planning, clock } = deps
  const app = new OpenAPIHono<AppEnv>()

  const settingsOf = async (
    q: { area: string; mode: Mode; threshold?: number | undefined; res: number },
    where: 'query' | 'body' = 'query',
  ) => {
    const area = await analysis.area(q.area)
    if (!area) throw notFound(LABEL.area, q.area)
    return {
      area,
      mode: q.mode,
      res: q.res as SurfaceResolution,
      thresholdM: thresholdFor(q.mode, q.threshold, { in: where, name: 'threshold' }),
    }
  }

  const checkInRegion = (add: readonly ProposedPlace[]) =>
    add.forEach((p, i) => {
      if (!bboxContains(deps.regionBbox, [p.lon, p.lat])) throw outside(i, deps.regionBbox)
    })

  const cellJson = (
    surface: Awaited<ReturnType<Planning['preview']>>['surface'],
    cells: readonly { cell: number; inhabitants: number; beforeM: number; afterM: number }[],
    thresholdM: number,
  ) =>
    cells.map((c) => ({
      cell: surface.cells[c.cell],
      inhabitants: people(c.inhabitants),
      beforeM: round(c.beforeM, 1),
      afterM: round(c.afterM, 1),
      gained: !(c.beforeM <= thresholdM) && c.afterM <= thresholdM,
      lost: c.beforeM <= thresholdM && !(c.afterM <= thresholdM),
    }))

  const idParam = z.object({ id: z.string().meta({ description: 'Scenario id (uuid)' }) })
  const unknownArea = problemResponse('Unknown area')
  const noData = problemResponse('No inhabitants loaded, or no network for the mode')
  const busy = problemResponse('The analysis is busy, or the database unreachable; Retry-After')
  const routes: RouteConfig[] = [
    {
      method: 'get',
      path: '/scenario-preview',
      summary: 'Live difference of proposed places (add=lon,lat,kind;…) and closures',
      request: { query: previewQuery },
      responses: {
        200: jsonResponse('Today and with the proposed places', scenarioPreviewSchema),
        404: unknownArea,
        409: noData,
        503: busy,
      },
    },
    {
      method: 'get',
      path: '/suggestions',
      summary: 'Where should the next meeting place go? Greedy maximal covering',
      request: { query: suggestionsQuery },
      responses: {
        200: jsonResponse('Ranked suggestions', suggestionsSchema),
        404: unknownArea,
        409: noData,
        503: busy,
      },
    },
    {
      method: 'post',
      path: '/scenarios',
      summary: 'Save a named scenario (proposed places and closures)',
      request: { body: jsonBody(scenarioBody) },
      responses: {
        201: jsonResponse('Saved; Location names it', scenarioSchema),
        404: unknownArea,
        422: problemResponse('Invalid fields, or a proposed place outside the region'),
      },
    },
    {
      method: 'get',
      path: '/scenarios',
      summary: 'Saved scenarios, newest first',
      responses: { 200: jsonResponse('Scenarios', scenarioListSchema) },
    },
    {
      method: 'get',
      path: '/scenarios/{id}',
      summary: 'One saved scenario',
      request: { params: idParam },
      responses: {
        200: jsonResponse('The scenario', scenarioSchema),
        404: problemResponse('No such scenario'),
      },
    },
    {
      method: 'get',
      path: '/scenarios/{id}/coverage',
      summary: 'A scenario’s figures with the difference against today, per area and per cell',
      request: { params: idParam },
      responses: {
        200: jsonResponse('Figures today and with the scenario', scenarioCoverageSchema),
        404: problemResponse('No such scenario, or its area is gone'),
        409: noData,
        503: busy,
      },
    },
  ]
  for (const route of routes) app.openAPIRegistry.registerPath(route)

  // Heavy: turned away at once, before any work, while the analysis queue is full.
  for (const heavy of ['/scenario-preview', '/suggestions', '/scenarios/:id/coverage']) {
    app.use(heavy, async (_c, next) => {
      analysis.compute.admit()
      await next()
    })
  }

  app.get('/scenario-preview', async (c) => {
    const q = readQuery(c, previewQuery)
    checkInRegion(q.add)
    const s = await settingsOf(q)
    const result = await planning.preview(s, { add: q.add, close: q.close })
    return c.json({
      area: s.area,
      inhabitants: people(result.inhabitants),
      withinToday: people(result.withinToday),
      withinAfter: people(result.withinAfter),
      gained: people(result.gained),
      cells: cellJson(result.surface, result.cells, s.thresholdM),
      inputs: {
        mode: s.mode,
        thresholdM: s.thresholdM,
        resolution: s.res,
        added: q.add.length,
        closed: q.close.length,
      },
    })
  })

  app.get('/suggestions', async (c) => {
    const q = readQuery(c, suggestionsQuery)
    const s = await settingsOf(q)
    const result = await planning.suggest(s, {
      k: q.k,
      candidates: q.candidates,
      kinds: q.kind,
      limit: q.limit,
    })
    const params = new URLSearchParams({
      area: s.area.code,
      mode: s.mode,
      threshold: String(s.thresholdM),
      res: String(s.res),
      k: String(q.k),
      candidates: q.candidates,
      limit: String(q.limit),
      ...(q.kind?.length ? { kind: q.kind.join(',') } : {}),
    })
    return c.json({
      area: s.area,
      inhabitants: people(result.inhabitants),
      withinToday: people(result.withinToday),
      suggestions: result.picks.map((p, i) => ({
        rank: i + 1,
        lon: round(p.lon, 6),
        lat: round(p.lat, 6),
        cell: p.cell,
        asset: p.asset,
        gain: people(p.gain),
        withinAfter: people(p.withinAfter),
        shareAfter: result.inhabitants > 0 ? round(p.withinAfter / result.inhabitants, 6) : null,
      })),
      inputs: {
        mode: s.mode,
        thresholdM: s.thresholdM,
        resolution: s.res,
        distance: DISTANCE_METHOD[s.mode],
        candidates: {
          kind: q.candidates,
          considered: result.candidateCount,
          limit: q.limit,
          kinds: q.kind ?? null,
        },
        method:
          'Greedy maximal covering: each step takes the candidate that brings the most inhabitants of the area ' +
          'who now live beyond the threshold within it; gain is what that step adds after the earlier ones.',
        places: 'active meeting places (the default filter)',
        computedAt: clock.now().toISOString(),
        permalink: `${API_BASE}/suggestions?${params.toString()}`,
      },
    })
  })

  app.post('/scenarios', async (c) => {
    const body = await readJson(c, scenarioBody)
    checkInRegion(body.add)
    const s = await settingsOf(body, 'body')
    const saved = await saveScenario(
      deps.db,
      {
        name: body.name,
        area: s.area.code,
        mode: s.mode,
        thresholdM: s.thresholdM,
        res: s.res,
        add: body.add,
        close: body.close,
      },
      { actor: actorOf(c), at: clock.now() },
    )
    c.header('location', `${API_BASE}/scenarios/${saved.id}`)
    return c.json(saved, 201)
  })

  app.get('/scenarios', async (c) => {
    return c.json({ scenarios: await listScenarios(deps.db, 200) })
  })

  const requireScenario = async (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? ''
    const found = isUuid(id) ? await findScenario(deps.db, id) : undefined
    if (!found) throw notFound(LABEL.scenario, id)
    return found
  }

  app.get('/scenarios/:id', async (c) => c.json(await requireScenario(c)))

  app.get('/scenarios/:id/coverage', async (c) => {
    const scenario = await requireScenario(c)
    return c.json(await scenarioCoverage(analysis, planning, clock, scenario))
  })

  return app
}
