import { OpenAPIHono } from '@hono/zod-openapi'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import {
  AREA_CODE_FIELDS,
  ATTRIBUTE_FIELDS,
  CONTACT_FIELDS,
  type Asset,
  type AssetSchemas,
} from '../domain/asset.js'
import type { Database } from '../db/database.js'
import type { Clock } from '../domain/clock.js'
import { exportAssets, importAssets } from '../services/import.js'
import { spreadsheetSafe } from '../services/import-formats.js'
import type { AppEnv } from './env.js'
import { assetFilterQuery, toFilter } from './assets.js'
import { fromZod } from './problem.js'
import { unsupportedMediaType } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'
import { assetFeatureSchema, isOutdated, toFeature, type FeatureView } from './schemas.js'
import { actorOf, viewOf } from './principal.js'
import { recordAudit } from '../services/audit.js'
import { importReportSchema } from './contract.js'
import { jsonResponse, problemResponse } from './openapi.js'

/** CSV columns of the export; the same names the CSV import reads, so an export re-imports. */
export const CSV_COLUMNS = [
  'id',
  'lon',
  'lat',
  ...ATTRIBUTE_FIELDS,
  'verified_at',
  'source',
  ...AREA_CODE_FIELDS,
  'verified_by_role',
  'possibly_outdated',
  'version',
  'updated_at',
] as const

/** The columns a reader may see: without contact details in a public export (AVG). */
function csvColumns(view: FeatureView): string[] {
  const hidden = new Set<string>(view.contacts ? [] : CONTACT_FIELDS)
  return CSV_COLUMNS.filter((col) => !hidden.has(col))
}

function csvRow(a: Asset, columns: readonly string[], view: FeatureView): unknown[] {
  const row: Record<string, unknown> = {
    ...a,
    possibly_outdated: isOutdated(a, view.outdatedBefore),
  }
  return columns.map((col) => {
    const v = row[col]
    // Text a spreadsheet would run as a formula gets a quote first; numbers stay numbers.
    if (Array.isArray(v)) return spreadsheetSafe(v.join('|'))
    if (typeof v === 'string') return spreadsheetSafe(v)
    return v ?? ''
  })
}

const importQuery = z.strictObject({
  format: z.enum(['geojson', 'csv']).optional(),
  dryRun: z.enum(['true', 'false', '1', '0']).optional(),
  source: z.enum(['import', 'osm', 'cbs']).default('import'),
  lang: z.enum(['nl', 'en']).optional(),
})

const exportQuery = z.strictObject(assetFilterQuery)

const exportCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(assetFeatureSchema),
})

/** Exports (same filters as the list, no paging) and the import endpoint. */
export function transferRoutes(deps: {
  /** The primary: imports and their audit entries. */
  db: Database
  /** Where the exports read (may be a read replica, see createApp); `db` when absent. */
  reads?: Database
  clock: Clock
  schemas: AssetSchemas
  /** Where the exports answer: `/exports/assets.geojson` and `.csv` in version 1 of the API. */
  exportPaths?: { geojson: string; csv: string }
}) {
  const app = new OpenAPIHono<AppEnv>()
  const exportPaths = deps.exportPaths ?? { geojson: '/export.geojson', csv: '/export.csv' }

  const exportFilter = (query: Record<string, string>) => {
    const parsed = exportQuery.safeParse(query)
    if (!parsed.success) throw fromZod(parsed.error, 'query', query)
    return toFilter(parsed.data)
  }

  const allAssets = (filter: ReturnType<typeof toFilter>) =>
    exportAssets(deps.reads ?? deps.db, filter)

  app.get(exportPaths.geojson, async (c) => {
    const assets = await allAssets(exportFilter(c.req.query()))
    c.header('content-disposition', 'attachment; filename="buurtkaart-assets.geojson"')
    c.header('content-type', 'application/geo+json; charset=utf-8')
    const view = viewOf(c, deps.clock.now())
    return c.body(
      JSON.stringify({
        type: 'FeatureCollection',
        features: assets.map((a) => toFeature(a, view)),
      }),
    )
  })

  app.get(exportPaths.csv, async (c) => {
    const assets = await allAssets(exportFilter(c.req.query()))
    c.header('content-disposition', 'attachment; filename="buurtkaart-assets.csv"')
    c.header('content-type', 'text/csv; charset=utf-8')
    const view = viewOf(c, deps.clock.now())
    const columns = csvColumns(view)
    return c.body(
      stringify([columns, ...assets.map((a) => csvRow(a, columns, view))], {
        // Spelled out: csv-stringify writes false as an empty cell, which reads back as unknown.
        cast: { boolean: (v) => (v ? 'true' : 'false') },
      }),
    )
  })

  app.post('/import', async (c) => {
    const query = c.req.query()
    const parsed = importQuery.safeParse(query)
    if (!parsed.success) throw fromZod(parsed.error, 'query', query)
    const type = (c.req.header('content-type') ?? '').toLowerCase()
    const format =
      parsed.data.format ??
      (type.startsWith('text/csv')
        ? 'csv'
        : /^application\/([a-z.+-]+\+)?json/.test(type)
          ? 'geojson'
          : undefined)
    if (!format) {
      throw unsupportedMediaType(PROBLEM.unknownFormat)
    }
    const dryRun = parsed.data.dryRun === 'true' || parsed.data.dryRun === '1'
    const report = await importAssets(deps, await c.req.text(), {
      format,
      dryRun,
      source: parsed.data.source,
      actor: actorOf(c),
    })
    if (!dryRun) {
      await recordAudit(deps.db, {
        at: deps.clock.now(),
        actor: actorOf(c),
        action: 'import.assets',
        after: report,
      })
    }
    return c.json(report, 200)
  })

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/import',
    summary: 'Import assets from GeoJSON or CSV (all-or-nothing; dryRun reports per-row errors)',
    request: {
      query: importQuery,
      body: {
        required: true,
        content: {
          'application/geo+json': {
            schema: z
              .looseObject({
                type: z.literal('FeatureCollection'),
                features: z.array(z.unknown().meta({ description: 'A Point Feature' })),
              })
              .meta({
                description:
                  'Point Features whose properties are those of POST /api/assets; each row is checked on its own and reported',
              }),
          },
          'text/csv': {
            schema: z.string().meta({
              description: 'One row per asset: lon, lat and the columns of the CSV export',
            }),
          },
        },
      },
    },
    responses: {
      200: jsonResponse('Import report (dryRun: nothing saved)', importReportSchema),
      413: problemResponse('Body too large'),
      415: problemResponse('Neither GeoJSON nor CSV'),
      422: problemResponse('Invalid rows; nothing was saved'),
    },
  })
  for (const [path, type] of [
    [exportPaths.geojson, 'application/geo+json'],
    [exportPaths.csv, 'text/csv'],
  ] as const) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      summary: 'Export all live assets matching the filters',
      request: { query: exportQuery },
      responses: {
        200: {
          description: 'Export, as a download (contact details only for signed-in users)',
          content: {
            [type]: {
              schema:
                type === 'text/csv'
                  ? z.string().meta({ description: `Columns: ${CSV_COLUMNS.join(', ')}` })
                  : exportCollectionSchema,
            },
          },
        },
      },
    })
  }
  return app
}
