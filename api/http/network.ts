import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { Config } from '../config.js'
import type { AssetSchemas } from '../domain/asset.js'
import type { Database } from '../db/database.js'
import type { Clock } from '../domain/clock.js'
import { networkStatus } from '../services/network.js'
import { importOsm } from '../services/osm-import.js'
import type { AppEnv } from './env.js'
import { fromZod, tooLarge } from './problem.js'
import { invalidInput } from '../domain/errors.js'
import { FIELD, PROBLEM } from '../domain/messages.js'
import { actorOf } from './principal.js'
import { recordAudit } from '../services/audit.js'
import { networkSchema, osmImportReportSchema } from './contract.js'
import { jsonResponse, problemResponse } from './openapi.js'

const importQuery = z.strictObject({
  network: z.enum(['true', 'false']).default('true'),
  places: z.enum(['true', 'false']).default('true'),
  dryRun: z.enum(['true', 'false']).default('false'),
  name: z.string().min(1).max(200).optional(),
  lang: z.enum(['nl', 'en']).optional(),
})

/** The stored networks, and the admin import of an OpenStreetMap file. */
export function networkRoutes(deps: {
  db: Database
  clock: Clock
  schemas: AssetSchemas
  config: Pick<Config, 'regionBbox'> &
    Partial<Pick<Config, 'ferryPenaltyMin' | 'maxOsmBytes' | 'snapLimitM'>>
}) {
  const app = new OpenAPIHono<AppEnv>()

  app.get('/network', async (c) => {
    const meta = await networkStatus(deps.db)
    return c.json({
      profiles: meta,
      snapLimitM: deps.config.snapLimitM ?? 500,
      licence: meta.length ? 'ODbL 1.0, © OpenStreetMap contributors' : null,
    })
  })

  app.post('/network/import', async (c) => {
    const query = c.req.query()
    const parsed = importQuery.safeParse(query)
    if (!parsed.success) throw fromZod(parsed.error, 'query', query)
    const body = c.req.raw.body
    if (!body) {
      throw invalidInput(PROBLEM.noFileSent, {
        fields: [{ pointer: '/file', code: 'required', message: FIELD.fileMissing }],
      })
    }
    const limit = deps.config.maxOsmBytes ?? 1024 ** 3
    const dir = await mkdtemp(path.join(os.tmpdir(), 'buurtkaart-osm-'))
    const file = path.join(dir, 'upload')
    try {
      let bytes = 0
      await pipeline(
        Readable.fromWeb(body as WebReadableStream<Uint8Array>),
        new Transform({
          transform(chunk: Buffer, _enc, next) {
            bytes += chunk.length
            next(bytes > limit ? tooLarge() : null, chunk)
          },
        }),
        createWriteStream(file),
      )
      const q = parsed.data
      const report = await importOsm(
        { db: deps.db, clock: deps.clock, schemas: deps.schemas },
        file,
        {
          network: q.network === 'true',
          places: q.places === 'true',
          dryRun: q.dryRun === 'true',
          regionBbox: deps.config.regionBbox,
          ferryPenaltyMin: deps.config.ferryPenaltyMin ?? 5,
          actor: actorOf(c),
          fileName: q.name ?? 'upload',
          maxBytes: limit,
        },
      )
      if (q.dryRun !== 'true') {
        await recordAudit(deps.db, {
          at: deps.clock.now(),
          actor: actorOf(c),
          action: 'import.osm',
          after: { file: q.name ?? 'upload', network: q.network, places: q.places },
        })
      }
      return c.json(report, 200)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/network',
    summary: 'The stored walk and bike networks: size, source file, import time',
    responses: { 200: jsonResponse('The networks (none yet: an empty list)', networkSchema) },
  })
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/network/import',
    summary: 'Admin: import an OpenStreetMap file (the body): walk and bike network, and places',
    request: {
      query: importQuery,
      body: {
        required: true,
        content: {
          'application/octet-stream': {
            schema: z.string().meta({
              format: 'binary',
              description: 'An .osm.pbf or .osm (XML) file, optionally gzipped',
            }),
          },
        },
      },
    },
    responses: {
      200: jsonResponse('Import report (dryRun: nothing saved)', osmImportReportSchema),
      413: problemResponse('File larger than BUURTKAART_MAX_OSM_BYTES'),
      422: problemResponse('No file, or a file that cannot be read'),
    },
  })

  return app
}
