import fs from 'node:fs'
import path from 'node:path'
import { OpenAPIHono } from '@hono/zod-openapi'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import { notFound } from '../domain/errors.js'
import { LABEL } from '../domain/messages.js'
import type { Mode } from '../domain/reach.js'
import { FIGURE_RESOLUTION, type SurfaceResolution } from '../domain/surface.js'
import type { Database } from '../db/database.js'
import type { Analysis } from '../services/analysis.js'
import type { Clock } from '../domain/clock.js'
import type { Networks } from '../services/network.js'
import type { Planning } from '../services/planning.js'
import { buildReport, gapCellsPage, MAX_GAPS_PAGE, type Report } from '../services/report.js'
import type { AppEnv } from './env.js'
import { reportHtml } from './report-html.js'
import { isHttps } from './principal.js'
import { readQuery } from './util.js'
import { gapCellsSchema, reportSchema } from './contract.js'
import { problemResponse } from './openapi.js'
import { pinQuery, thresholdFor } from './query.js'

const ASSETS = path.join(import.meta.dirname, 'assets')
export const REPORT_CSS = fs.readFileSync(path.join(ASSETS, 'report.css'), 'utf8')
const REPORT_JS = fs.readFileSync(path.join(ASSETS, 'report.js'), 'utf8')

const threshold = z.coerce.number().min(50).max(50_000).optional()

/** Each mode's threshold and the parameter it came from (the camelCase name, else its old alias). */
function thresholdsOf(q: {
  thresholdWalk?: number | undefined
  thresholdBike?: number | undefined
  thresholdLine?: number | undefined
  threshold_walk?: number | undefined
  threshold_bike?: number | undefined
  threshold_line?: number | undefined
}) {
  const pick = (
    camel: number | undefined,
    name: string,
    old: number | undefined,
    oldName: string,
  ) => (camel !== undefined ? { value: camel, name } : { value: old, name: oldName })
  return {
    walk: pick(q.thresholdWalk, 'thresholdWalk', q.threshold_walk, 'threshold_walk'),
    bike: pick(q.thresholdBike, 'thresholdBike', q.threshold_bike, 'threshold_bike'),
    line: pick(q.thresholdLine, 'thresholdLine', q.threshold_line, 'threshold_line'),
  }
}
export const reportQuery = z.strictObject({
  res: z.coerce.number().int().min(7).max(10).default(FIGURE_RESOLUTION),
  thresholdWalk: threshold.meta({ description: 'Metres (deprecated alias: threshold_walk)' }),
  thresholdBike: threshold.meta({ description: 'Metres (deprecated alias: threshold_bike)' }),
  thresholdLine: threshold.meta({ description: 'Metres (deprecated alias: threshold_line)' }),
  // The names before version 1 (the NLGov API Design Rules ask for lowerCamelCase query keys).
  threshold_walk: threshold,
  threshold_bike: threshold,
  threshold_line: threshold,
  lang: z.enum(['nl', 'en']).default('nl'),
  mode: z.enum(['walk', 'bike', 'line']).optional(),
  scenario: z.string().max(40).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_GAPS_PAGE)
    .default(1000)
    .meta({ description: `.gaps.geojson: gap cells per page (at most ${MAX_GAPS_PAGE})` }),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .default(0)
    .meta({ description: '.gaps.geojson: gap cells to skip (follow the next link)' }),
  ...pinQuery,
})

const FILE = /^(province|[A-Za-z]{0,2}\d{4,8})(\.json|\.csv|\.gaps\.geojson)?$/

/** The report's figures as CSV: one row per figure and mode, then the ranked gaps. */
function reportCsv(r: Report): string {
  const rows: unknown[][] = [['section', 'mode', 'figure', 'area', 'province', 'threshold_m']]
  for (const mode of r.modes) {
    const f = r.figures[mode]!
    const t = r.thresholds[mode]
    const figure = (name: string, a: unknown, p: unknown) =>
      rows.push(['figures', mode, name, a, p, t])
    figure('inhabitants', f.area.inhabitants, f.province.inhabitants)
    figure('inhabitants_within', f.area.inhabitantsWithin, f.province.inhabitantsWithin)
    figure('share_within', f.area.share, f.province.share)
    figure('places', f.area.places, f.province.places)
    figure('places_per_10k', f.area.placesPer10k, f.province.placesPer10k)
    figure('mean_distance_m', f.area.meanDistanceM, f.province.meanDistanceM)
    for (const k of ['1km', '3km', '5km'] as const) {
      figure(`mean_places_within_${k}`, f.area.meanPlacesWithin[k], f.province.meanPlacesWithin[k])
    }
    figure(
      'unreachable_inhabitants',
      f.area.unreachableInhabitants,
      f.province.unreachableInhabitants,
    )
    for (const b of f.area.bands) {
      const p = f.province.bands.find((x) => x.fromM === b.fromM)
      figure(`band_${b.fromM}_${b.toM ?? 'more'}`, b.inhabitants, p?.inhabitants ?? null)
    }
  }
  rows.push([])
  rows.push([
    'rank',
    'gap_area',
    'label',
    'wijken',
    'buurten',
    'pc4',
    'inhabitants',
    'cells',
    'distance_min_m',
    'distance_max_m',
    'sparse',
  ])
  for (const g of r.figures[r.primary]!.area.gapAreas) {
    rows.push([
      g.rank,
      g.id,
      g.label[r.lang],
      g.wijken.map((w) => w.name).join('|'),
      g.buurten.map((b) => b.name).join('|'),
      g.pc4.map((p) => p.code).join('|'),
      g.inhabitants,
      g.cellCount,
      g.distanceM?.min ?? '',
      g.distanceM?.max ?? '',
      g.sparse,
    ])
  }
  rows.push([])
  rows.push(['permalink', r.permalink])
  rows.push(['generated_at', r.generatedAt])
  return stringify(rows)
}

/** GET /reports/<code>: the printable gap report; .json, .csv and .gaps.geojson of the same. */
export function reportRoutes(deps: {
  /** Where the public reaches the service (BUURTKAART_PUBLIC_URL), for absolute permalinks. */
  publicUrl?: string | undefined
  /** Behind a reverse proxy: HTTPS from X-Forwarded-Proto (for the permalinks' scheme). */
  trustProxy?: boolean | undefined
  /** The primary: scenarios, read back right after they are saved. */
  db: Database
  /** Area outlines (may be a read replica, see createApp); `db` when absent. */
  reads?: Database
  analysis: Analysis
  planning: Planning
  networks: Networks
  clock: Clock
}) {
  const app = new OpenAPIHono<AppEnv>()

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{file}',
    summary:
      'Gap report of an area (GM0995, WK099501, province): HTML, or .json, .csv, .gaps.geojson',
    request: {
      params: z.object({
        file: z.string().regex(FILE).meta({
          description: 'Area code or province, optionally with .json, .csv or .gaps.geojson',
          example: 'GM0995.json',
        }),
      }),
      query: reportQuery.omit({ threshold_walk: true, threshold_bike: true, threshold_line: true }),
    },
    responses: {
      200: {
        description: 'The report in the format the file name asks for',
        content: {
          'text/html': { schema: z.string().meta({ description: 'Printable report' }) },
          'application/json': { schema: reportSchema },
          'text/csv': {
            schema: z.string().meta({ description: 'Figures per mode, then the ranked gap areas' }),
          },
          'application/geo+json': { schema: gapCellsSchema },
        },
      },
      404: problemResponse('No such area, report file or scenario'),
      409: problemResponse('No inhabitants loaded'),
      503: problemResponse('The analysis is busy, or the database unreachable; Retry-After'),
    },
  })
  for (const [file, type, what] of [
    ['report.css', 'text/css', 'The report’s style sheet'],
    ['report.js', 'text/javascript', 'The report’s script (its map)'],
  ] as const) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `/${file}`,
      summary: what,
      responses: { 200: { description: what, content: { [type]: { schema: z.string() } } } },
    })
  }

  app.get('/report.css', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    return c.body(REPORT_CSS, 200, { 'content-type': 'text/css; charset=utf-8' })
  })
  app.get('/report.js', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    return c.body(REPORT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' })
  })

  app.get('/:file', async (c) => {
    const file = c.req.param('file')
    const m = FILE.exec(file)
    if (!m) throw notFound(LABEL.report, file)
    const q = readQuery(c, reportQuery)
    const networks: Partial<Record<Mode, boolean>> = {
      walk: Boolean(await deps.networks.networkFor('walk')),
      bike: Boolean(await deps.networks.networkFor('bike')),
    }
    if (m[2] === '.gaps.geojson') {
      // Every gap cell can be hundreds of thousands of hexagons: paged, most severe first.
      const mode: Mode =
        q.mode && (q.mode === 'line' || networks[q.mode])
          ? q.mode
          : networks.walk
            ? 'walk'
            : networks.bike
              ? 'bike'
              : 'line'
      const thresholdM = thresholdFor(mode, thresholdsOf(q)[mode].value, {
        in: 'query',
        name: thresholdsOf(q)[mode].name,
      })
      const page = await gapCellsPage(deps.analysis, {
        code: m[1] as string,
        res: q.res as SurfaceResolution,
        mode,
        thresholdM,
        limit: q.limit,
        offset: q.offset,
        nextHref: (offset) => {
          const next = new URL(c.req.url)
          next.searchParams.set('offset', String(offset))
          return `${next.pathname}${next.search}`
        },
      })
      c.header(
        'content-disposition',
        `attachment; filename="buurtkaart-rapport-${page.properties.area.code}-gaten.geojson"`,
      )
      return c.body(JSON.stringify(page), 200, {
        'content-type': 'application/geo+json; charset=utf-8',
      })
    }
    // A printed report needs absolute links (and its QR code one that opens). Without a
    // configured public address they are made from the request's Host; such an answer is
    // never stored by a shared cache, so one forged Host cannot put its links in front of
    // everyone (the reason TileJSON never uses the Host header).
    let baseUrl = deps.publicUrl
    if (baseUrl === undefined) {
      baseUrl = `${isHttps(c, deps.trustProxy ?? false) ? 'https' : 'http'}://${new URL(c.req.url).host}`
      c.header('Cache-Control', 'private, no-store')
      c.header('Vary', 'Host', { append: true })
    }
    const report = await buildReport(
      { ...deps, networks, baseUrl },
      {
        code: m[1] as string,
        res: q.res as SurfaceResolution,
        thresholds: {
          walk: thresholdFor('walk', thresholdsOf(q).walk.value, {
            in: 'query',
            name: thresholdsOf(q).walk.name,
          }),
          bike: thresholdFor('bike', thresholdsOf(q).bike.value, {
            in: 'query',
            name: thresholdsOf(q).bike.name,
          }),
          line: thresholdFor('line', thresholdsOf(q).line.value, {
            in: 'query',
            name: thresholdsOf(q).line.name,
          }),
        },
        scenarioId: q.scenario,
        lang: q.lang,
        mode: q.mode,
        pin: { data: q.data, fp: q.fp },
      },
    )
    const name = `buurtkaart-rapport-${report.area.code}`
    switch (m[2]) {
      case '.json':
        return c.json(report)
      case '.csv':
        c.header('content-disposition', `attachment; filename="${name}.csv"`)
        return c.body(reportCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8' })
      default:
        return c.html(
          reportHtml(report, { cssHref: '/reports/report.css', scriptSrc: '/reports/report.js' }),
        )
    }
  })

  return app
}
