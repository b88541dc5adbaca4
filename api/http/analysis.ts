import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { AssetStatus } from '../domain/asset.js'
import { BAND_EDGES } from '../domain/coverage.js'
import { notFound } from '../domain/errors.js'
import { bboxContains } from '../domain/geo.js'
import { isKindCode, type KindCode } from '../domain/kinds.js'
import {
  DEFAULT_PLACE_FILTER,
  localTimeInNetherlands,
  parseLocalTime,
  type LocalTime,
  type PlaceFilter,
} from '../domain/places.js'
import { MODES, type Mode } from '../domain/reach.js'
import { isNetworkReach } from '../domain/network/reach.js'
import type { SurfaceResolution } from '../domain/surface.js'
import type { Analysis, AreaRef } from '../services/analysis.js'
import type { Clock } from '../services/assets.js'
import type { AppEnv } from './app.js'
import { problem } from './problem.js'
import { bboxQuery, commaList, isStatus, issue, thresholdFor } from './query.js'
import { problemContent } from './schemas.js'

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
  }
}

const pad = (n: number) => String(n).padStart(2, '0')
const formatLocal = (t: LocalTime) =>
  `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`

/** The filter as explicit query parameters: part of every permalink. */
export function filterParams(f: PlaceFilter): Record<string, string> {
  return {
    ...(f.kinds?.length ? { kind: [...f.kinds].sort().join(',') } : {}),
    meetingPlacesOnly: String(f.meetingPlacesOnly),
    status: [...f.statuses].sort().join(','),
    ...(f.wheelchair ? { wheelchair: f.wheelchair } : {}),
    ...(f.freeEntry === undefined ? {} : { freeEntry: String(f.freeEntry) }),
    ...(f.openAt ? { openAt: formatLocal(f.openAt), openUnknown: f.openUnknown } : {}),
  }
}

/** Why a cell has no network distance, by the codes of `UNREACHABLE`. */
const UNREACHABLE_NAMES: readonly (string | null)[] = [null, 'no_path_nearby', 'no_place_reachable']

const round = (v: number | null, decimals: number) =>
  v === null ? null : Number(v.toFixed(decimals))

export const DISTANCE_METHOD: Record<Mode, string> = {
  line: 'straight line in RD New (EPSG:28992) metres, from the populated centre of each cell',
  walk:
    'shortest walking route over the OpenStreetMap network (footways, paths and roads where walking is allowed), ' +
    'from the populated centre of each cell; cell and place are joined to the nearest usable path in a straight line ' +
    '(that distance is included); ferries count their crossing plus a waiting time',
  bike:
    'shortest cycling route over the OpenStreetMap network (cycleways and roads where cycling is allowed, one-way ' +
    'for bikes where tagged), from the populated centre of each cell; cell and place are joined to the nearest ' +
    'usable path in a straight line (included); ferries count their crossing plus a waiting time',
}

/** The coverage of one area with its inputs and permalink: what /api/coverage and the report show. */
export async function coverageDocument(
  analysis: Analysis,
  clock: Clock,
  o: {
    area: AreaRef
    res: SurfaceResolution
    mode: Mode
    thresholdM: number
    filter: PlaceFilter
    gaps: number
  },
) {
  const { area, res, filter } = o
  const threshold = o.thresholdM
  const result = await analysis.coverageOf(area, res, o.mode, threshold, filter, o.gaps)
  const { figures, surface, version } = result
  const networkInputs = await analysis.networkInputs(o.mode)
  const names = await analysis.areaNames()
  const nameOf = (code: string | null) =>
    code ? { code, name: names.get(code)?.name ?? code } : null
  const params = new URLSearchParams({
    area: area.code,
    res: String(res),
    mode: o.mode,
    threshold: String(threshold),
    gaps: String(o.gaps),
    ...filterParams(filter),
  })
  return {
    area,
    inhabitants: figures.inhabitants,
    inhabitantsWithin: figures.inhabitantsWithin,
    share: round(figures.share, 6),
    unreachableInhabitants: figures.unreachableInhabitants,
    places: result.placesInArea,
    placesPer10k:
      figures.inhabitants > 0
        ? round((result.placesInArea * 10_000) / figures.inhabitants, 2)
        : null,
    meanDistanceM: round(figures.meanDistanceM, 1),
    meanPlacesWithin: {
      '1km': round(figures.meanPlacesWithin['1km'], 3),
      '3km': round(figures.meanPlacesWithin['3km'], 3),
      '5km': round(figures.meanPlacesWithin['5km'], 3),
    },
    bands: figures.bands,
    gapCount: figures.gapCount,
    gapInhabitants: figures.gapInhabitants,
    ...(result.network
      ? {
          network: {
            unreachableInhabitants: result.network.unreachable,
            placesOffNetwork: result.network.placesOffNetwork,
            meanDetourFactor: round(result.network.meanDetourFactor, 3),
            detourInhabitants: result.network.detourInhabitants,
          },
        }
      : {}),
    gaps: figures.gaps.map((g) => ({
      cell: surface.cells[g.cell],
      lon: round(surface.points.lon[g.cell] as number, 6),
      lat: round(surface.points.lat[g.cell] as number, 6),
      inhabitants: g.inhabitants,
      distanceM: round(g.distanceM, 1),
      severity: round(g.severity, 0),
      wijk: nameOf(surface.wijk[g.cell] ?? null),
      buurt: nameOf(surface.buurt[g.cell] ?? null),
    })),
    inputs: {
      population: {
        level: surface.meta.source_level,
        sources: surface.meta.sources,
        inhabitants: surface.meta.inhabitants,
        builtAt: surface.meta.built_at,
        method:
          'Inhabitants spread onto H3 resolution-10 cells by overlapping area, summed to coarser cells, ' +
          'rounded per area by largest remainder.',
      },
      resolution: res,
      mode: o.mode,
      thresholdM: threshold,
      distance: DISTANCE_METHOD[o.mode],
      ...(networkInputs ? { network: networkInputs } : {}),
      bandEdgesM: BAND_EDGES,
      places: { filter: filterParams(filter), counted: result.counted.length },
      dataVersion: {
        assets: version.assets,
        areas: version.areas,
        fingerprint: analysis.fingerprint(version, surface.meta),
      },
      computedAt: clock.now().toISOString(),
      permalink: `/api/coverage?${params.toString()}`,
    },
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
          res: z.coerce
            .number()
            .int()
            .min(7)
            .max(10)
            .default(9)
            .meta({ description: 'H3 resolution 7–10' }),
          ...modeQuery,
          gaps: z.coerce
            .number()
            .int()
            .min(0)
            .max(1000)
            .default(50)
            .meta({ description: 'How many gap cells to list' }),
          ...filterQuery,
        }),
      },
      responses: {
        200: {
          description: 'Coverage figures with their inputs',
          content: { 'application/json': { schema: z.unknown() } },
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
      if (!area) throw notFound({ nl: 'Gebied', en: 'Area' }, q.area)
      const threshold = thresholdFor(q.mode, q.threshold)
      const doc = await coverageDocument(analysis, clock, {
        area,
        res: q.res as SurfaceResolution,
        mode: q.mode,
        thresholdM: threshold,
        filter: toPlaceFilter(q, clock),
        gaps: q.gaps,
      })
      return c.json(doc, 200)
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
          res: z.coerce.number().int().min(6).max(10).default(9),
          bbox: bboxQuery,
          ...modeQuery,
          ...filterQuery,
        }),
      },
      responses: {
        200: {
          description: 'Cells and values as parallel arrays',
          content: { 'application/json': { schema: z.unknown() } },
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
        const ids = [...cells.keys()].sort()
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
          },
          200,
        )
      }
      if (q.res < 7) {
        throw problem(
          'invalid_parameter',
          { nl: 'Ongeldige resolutie', en: 'Invalid resolution' },
          {
            nl: `Inwoners en afstanden zijn er voor resolutie 7 tot en met 10, niet ${q.res}.`,
            en: `Inhabitants and distances exist for resolutions 7 to 10, not ${q.res}.`,
          },
          [
            {
              pointer: 'res',
              in: 'query',
              code: 'out_of_range',
              message: { nl: 'Kies 7–10.', en: 'Choose 7–10.' },
            },
          ],
        )
      }
      if (q.metric === 'detour' && q.mode === 'line') {
        throw problem(
          'invalid_parameter',
          { nl: 'Kies lopen of fietsen', en: 'Choose walk or bike' },
          {
            nl: 'De omweg vergelijkt de afstand over het wegennet met de rechte lijn: kies mode=walk of mode=bike.',
            en: 'The detour compares the network distance with the straight line: choose mode=walk or mode=bike.',
          },
          [
            {
              pointer: 'mode',
              in: 'query',
              code: 'not_allowed',
              message: { nl: 'Kies walk of bike.', en: 'Choose walk or bike.' },
            },
          ],
        )
      }
      const res = q.res as SurfaceResolution
      const threshold = thresholdFor(q.mode, q.threshold)
      const { surface, reach, counted } = await analysis.reachFor(res, q.mode, filter)
      const detour = q.metric === 'detour' ? await analysis.detourFor(res, q.mode, filter) : null
      const networkInputs = await analysis.networkInputs(q.mode)
      const picked: number[] = []
      for (let i = 0; i < surface.cells.length; i++) {
        if (!inBox(surface.points.lon[i] as number, surface.points.lat[i] as number)) continue
        if (q.metric === 'gap' && !((reach.nearest[i] as number) > threshold)) continue
        picked.push(i)
      }
      const distance = (i: number) => {
        const d = reach.nearest[i] as number
        return Number.isFinite(d) ? Math.round(d) : null
      }
      return c.json(
        {
          metric: q.metric,
          res,
          count: picked.length,
          cells: picked.map((i) => surface.cells[i]),
          inhabitants: picked.map((i) => surface.inhabitants[i]),
          ...(q.metric === 'population'
            ? {}
            : {
                distanceM: picked.map(distance),
                ...(detour
                  ? {
                      straightM: picked.map((i) => {
                        const d = detour.line.nearest[i] as number
                        return Number.isFinite(d) ? Math.round(d) : null
                      }),
                      detour: picked.map((i) => {
                        const f = detour.factors[i] as number
                        return Number.isNaN(f) ? null : round(f, 3)
                      }),
                    }
                  : {}),
                ...(isNetworkReach(reach)
                  ? {
                      unreachable: picked.map(
                        (i) => UNREACHABLE_NAMES[reach.unreachable[i] as number] ?? null,
                      ),
                    }
                  : {}),
                ...(q.metric === 'gap'
                  ? {
                      severity: picked.map((i) => {
                        const d = distance(i)
                        return d === null
                          ? null
                          : Math.round((surface.inhabitants[i] as number) * (d - threshold))
                      }),
                    }
                  : {}),
              }),
          inputs: {
            mode: q.mode,
            thresholdM: threshold,
            populationLevel: surface.meta.source_level,
            distance: DISTANCE_METHOD[q.mode],
            ...(networkInputs ? { network: networkInputs } : {}),
            places: { filter: filterParams(filter), counted: counted.length },
          },
        },
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
          content: { 'application/json': { schema: z.unknown() } },
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
