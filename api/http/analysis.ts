import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { cellToLatLng } from 'h3-js'
import { z } from 'zod'
import type { AssetStatus } from '../domain/asset.js'
import { invalidParameter, notFound } from '../domain/errors.js'
import { FIELD, LABEL, PROBLEM } from '../domain/messages.js'
import { bboxContains } from '../domain/geo.js'
import { isKindCode, type KindCode } from '../domain/kinds.js'
import {
  DEFAULT_PLACE_FILTER,
  localTimeInNetherlands,
  parseLocalTime,
  type LocalTime,
  type PlaceFilter,
} from '../domain/places.js'
import { MODES } from '../domain/reach.js'
import { FIGURE_RESOLUTION, type SurfaceResolution } from '../domain/surface.js'
import type { Analysis } from '../services/analysis.js'
import type { Clock } from '../domain/clock.js'
import { cellValues } from '../services/tile-cells.js'
import { coverageDocument, figureInputs, filterParams } from '../services/figures.js'
import type { AppEnv } from './env.js'
import { bboxQuery, commaList, isStatus, issue, pinQuery, thresholdFor } from './query.js'
import { problemContent } from './schemas.js'
import {
  countedSchema,
  coverageSchema,
  hexesSchema,
  type Coverage,
  type Hexes,
} from './contract.js'

/** Query parameters that choose which places count; the same on every analysis endpoint. */
export const filterQuery = {
  kind: commaList(isKindCode, 'kind').meta({
    description: 'Comma-separated kinds that count (default: all)',
  }),
  meetingPlacesOnly: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Count only assets marked as meeting place (default true)' }),
  status: commaList(isStatus, 'status').meta({
    description: 'Comma-separated statuses that count (default: active)',
  }),
  wheelchair: z
    .enum(['yes', 'limited'])
    .optional()
    .meta({ description: 'yes: accessible; limited: at least partly' }),
  freeEntry: z.enum(['true', 'false']).optional(),
  openAt: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === 'now') return text
      const t = parseLocalTime(text)
      if (!t) {
        ctx.addIssue(
          issue(
            'Give a local time in the Netherlands as 2026-11-23T10:00, or now.',
            'Geef een tijd in Nederland als 2026-11-23T10:00, of now.',
          ),
        )
        return z.NEVER
      }
      return t
    })
    .meta({
      description: 'Count only places open at this local time (e.g. 2026-11-23T10:00) or now',
    }),
  openUnknown: z
    .enum(['include', 'exclude'])
    .optional()
    .meta({ description: 'With openAt: count places without opening hours (default include)' }),
  approximate: z.enum(['include', 'exclude']).optional().meta({
    description:
      'Count places whose position is only a district or town centre (default exclude: a distance from a town centre is not a distance to the place)',
  }),
  lang: z.enum(['nl', 'en']).optional(),
}

export const modeQuery = {
  mode: z.enum(MODES).default('line').meta({ description: 'line (straight), walk or bike' }),
  threshold: z.coerce
    .number()
    .min(50)
    .max(50_000)
    .optional()
    .meta({ description: 'Metres; default walk 800, bike 2500, line 800' }),
}

type FilterQuery = {
  kind?: KindCode[] | undefined
  meetingPlacesOnly?: 'true' | 'false' | undefined
  status?: AssetStatus[] | undefined
  wheelchair?: 'yes' | 'limited' | undefined
  freeEntry?: 'true' | 'false' | undefined
  openAt?: LocalTime | 'now' | undefined
  openUnknown?: 'include' | 'exclude' | undefined
  approximate?: 'include' | 'exclude' | undefined
}

export function toPlaceFilter(q: FilterQuery, clock: Clock): PlaceFilter {
  return {
    kinds: q.kind,
    meetingPlacesOnly: q.meetingPlacesOnly !== 'false',
    statuses: q.status ?? DEFAULT_PLACE_FILTER.statuses,
    wheelchair: q.wheelchair,
    freeEntry: q.freeEntry === undefined ? undefined : q.freeEntry === 'true',
    openAt: q.openAt === 'now' ? localTimeInNetherlands(clock.now()) : q.openAt,
    openUnknown: q.openUnknown ?? 'include',
    approximate: q.approximate ?? 'exclude',
  }
}

export function analysisRoutes(deps: { analysis: Analysis; clock: Clock }) {
  const { analysis, clock } = deps
  const app = new OpenAPIHono<AppEnv>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/coverage',
      summary: 'Coverage and gaps of an area: who lives within reach of a counted meeting place',
      request: {
        query: z.strictObject({
          area: z
            .string()
            .min(1)
            .max(20)
            .meta({ description: 'Area code (GM0995, WK099501, BU…, 8232) or province' }),
          res: z.coerce.number().int().min(7).max(10).default(FIGURE_RESOLUTION).meta({
            description: 'H3 resolution 7–10 of the figures (default 10, as on every screen)',
          }),
          ...modeQuery,
          gaps: z.coerce
            .number()
            .int()
            .min(0)
            .max(1000)
            .default(50)
            .meta({ description: 'How many gap cells to list' }),
          gapAreas: z.coerce.number().int().min(0).max(100).default(10).meta({
            description:
              'How many gap areas (neighbouring gap cells merged) to list, most severe first, with outlines',
          }),
          ...filterQuery,
          ...pinQuery,
        }),
      },
      responses: {
        200: {
          description: 'Coverage figures with their inputs',
          content: { 'application/json': { schema: coverageSchema } },
        },
        400: { description: 'Invalid parameter', content: problemContent },
        404: { description: 'Unknown area', content: problemContent },
        409: {
          description: 'No inhabitants loaded, or no network for the mode',
          content: problemContent,
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const area = await analysis.area(q.area)
      if (!area) throw notFound(LABEL.area, q.area)
      const threshold = thresholdFor(q.mode, q.threshold)
      const doc = await coverageDocument(analysis, clock, {
        area,
        res: q.res as SurfaceResolution,
        mode: q.mode,
        thresholdM: threshold,
        filter: toPlaceFilter(q, clock),
        gaps: q.gaps,
        gapAreas: q.gapAreas,
        pin: { data: q.data, fp: q.fp },
      })
      // Readonly tuples and index lookups in the service's types; the shape is tested.
      return c.json(doc as Coverage, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/hexes',
      summary: 'Compact cell data (H3 index + values) for a metric; the client draws the cells',
      request: {
        query: z.strictObject({
          metric: z.enum(['population', 'density', 'distance', 'gap', 'detour']).meta({
            description:
              'detour: network ÷ straight-line distance per cell (mode walk or bike; null within 100 m of a place)',
          }),
          res: z.coerce.number().int().min(6).max(10).default(FIGURE_RESOLUTION).meta({
            description:
              'Resolution of the hexagons drawn (6–10, default 10); the figures are always computed at resolution 10 and summed into coarser hexagons',
          }),
          bbox: bboxQuery,
          ...modeQuery,
          ...filterQuery,
          ...pinQuery,
        }),
      },
      responses: {
        200: {
          description: 'Cells and values as parallel arrays',
          content: { 'application/json': { schema: hexesSchema } },
        },
        400: { description: 'Invalid parameter', content: problemContent },
        409: {
          description: 'No inhabitants loaded, or no network for the mode',
          content: problemContent,
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const filter = toPlaceFilter(q, clock)
      const inBox = (lon: number, lat: number) => !q.bbox || bboxContains(q.bbox, [lon, lat])
      if (q.metric === 'density') {
        const cells = await analysis.density(q.res, {
          kinds: filter.kinds,
          statuses: filter.statuses,
        })
        const ids = [...cells.keys()]
          .filter((id) => {
            const [lat, lon] = cellToLatLng(id)
            return inBox(lon, lat)
          })
          .sort()
        return c.json(
          {
            metric: q.metric,
            res: q.res,
            count: ids.length,
            cells: ids,
            total: ids.map((id) => cells.get(id)?.total ?? 0),
            meetingPlaces: ids.map((id) => cells.get(id)?.meetingPlaces ?? 0),
            byKind: ids.map((id) => cells.get(id)?.byKind ?? {}),
            inputs: { filter: { kinds: filter.kinds ?? null, statuses: filter.statuses } },
          } as Hexes,
          200,
        )
      }
      if (q.res < 7) {
        throw invalidParameter(PROBLEM.invalidResolution(q.res), {
          fields: [
            { pointer: 'res', in: 'query', code: 'out_of_range', message: FIELD.choose7to10 },
          ],
        })
      }
      if (q.metric === 'detour' && q.mode === 'line') {
        throw invalidParameter(PROBLEM.detourNeedsNetwork, {
          fields: [
            { pointer: 'mode', in: 'query', code: 'not_allowed', message: FIELD.chooseWalkOrBike },
          ],
        })
      }
      const threshold = thresholdFor(q.mode, q.threshold)
      const values = await cellValues(
        analysis,
        { metric: q.metric, mode: q.mode, thresholdM: threshold, filter, bbox: q.bbox },
        q.res,
      )
      const result = await analysis.reachFor(FIGURE_RESOLUTION, q.mode, filter)
      const inputs = await figureInputs(analysis, clock, {
        result,
        res: FIGURE_RESOLUTION,
        mode: q.mode,
        thresholdM: threshold,
        filter,
        pin: { data: q.data, fp: q.fp },
      })
      const column = (name: string) =>
        values.properties.map((p) => (p[name] === undefined ? null : p[name]))
      return c.json(
        {
          metric: q.metric,
          res: q.res,
          count: values.cells.length,
          cells: values.cells,
          inhabitants: column('inhabitants'),
          ...(q.metric === 'population'
            ? {}
            : {
                distanceM: column('distanceM'),
                withinShare: column('withinShare'),
                unreachable: column('unreachable'),
                unreachableInhabitants: column('unreachableInhabitants'),
                ...(q.metric === 'detour'
                  ? { straightM: column('straightM'), detour: column('detour') }
                  : {}),
                ...(q.metric === 'gap'
                  ? { totalInhabitants: column('totalInhabitants'), severity: column('severity') }
                  : {}),
              }),
          inputs: { ...inputs, drawnAtResolution: q.res },
        } as Hexes,
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/counted',
      summary: 'Which places a filter counts: their ids (for the map to show what counts)',
      request: { query: z.strictObject({ ...filterQuery }) },
      responses: {
        200: {
          description: 'Ids of the counted places',
          content: { 'application/json': { schema: countedSchema } },
        },
        400: { description: 'Invalid parameter', content: problemContent },
      },
    }),
    async (c) => {
      const filter = toPlaceFilter(c.req.valid('query'), clock)
      const counted = await analysis.counted(filter)
      return c.json(
        {
          count: counted.length,
          ids: counted.map((p) => p.id),
          inputs: { places: { filter: filterParams(filter) } },
        },
        200,
      )
    },
  )

  return app
}
