import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { z } from 'zod'
import type { Clock } from '../domain/clock.js'
import { invalidParameter, notFoundError, type FieldError } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'
import type { Bbox } from '../domain/geo.js'
import { isTile, type TileAddress } from '../domain/tiles.js'
import type { Analysis } from '../services/analysis.js'
import type { Tile, Tiles } from '../services/tiles.js'
import type { AppEnv } from './env.js'
import { problemContent } from './schemas.js'
import { TILE_SOURCES, type TileSource } from './tile-sources.js'

/**
 * Vector tiles (MVT) and a TileJSON 3.0 document for every tile source (api/http/tile-sources.ts).
 *
 * Caching: the TileJSON names the layer's current data version in its tile URLs (`v=`). A tile
 * asked for with the current version never changes, so it is cacheable for a year (`immutable`,
 * for a CDN or reverse proxy in front); without `v`, or with an old one, it must be revalidated
 * (`no-cache`). The ETag is a hash of the tile's bytes: after an edit, a tile whose content did
 * not change keeps its ETag (a 304 stays valid) and only the changed tiles get a new one. On a
 * private map tiles need a signed-in user and are `private`.
 */

const MVT = 'application/vnd.mapbox-vector-tile'
const YEAR_S = 31_536_000

const layerNames = () => [...TILE_SOURCES.keys()].join(', ')

function sourceOf(name: string): TileSource {
  const source = TILE_SOURCES.get(name)
  if (!source) {
    throw notFoundError(PROBLEM.unknownLayer(name, layerNames()))
  }
  return source
}

const badParameter = (fields: FieldError[]) =>
  invalidParameter(PROBLEM.invalidTile(fields.map((f) => f.pointer).join(', ')), { fields })

const pathError = (pointer: string, nl: string, en: string): FieldError => ({
  pointer,
  in: 'path',
  code: 'out_of_range',
  message: { nl, en },
})

/**
 * z/x/y of the path: whole numbers on the grid, z within the source's zooms, y ending in .mvt
 * (under /tiles) or without it (under /api/v1/tiles, whose paths are plain kebab-case segments).
 */
function parseTile(
  source: TileSource,
  z: string,
  x: string,
  yFile: string,
  suffix: string,
): TileAddress {
  const { minzoom, maxzoom } = source
  const whole = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : NaN)
  const mvt = suffix ? /^(.*)\.mvt$/.exec(yFile) : [yFile, yFile]
  const t = { z: whole(z), x: whole(x), y: whole(mvt?.[1] ?? '') }
  const fields: FieldError[] = []
  const zoomOk = t.z >= minzoom && t.z <= maxzoom
  if (!zoomOk) {
    fields.push(
      pathError(
        'z',
        `Kies een zoomniveau van ${minzoom} tot en met ${maxzoom}.`,
        `Choose a zoom level from ${minzoom} to ${maxzoom}.`,
      ),
    )
  }
  const onGrid = (name: 'x' | 'y', value: number) => {
    if (Number.isNaN(value)) {
      fields.push(
        pathError(name, `Geef ${name} als geheel getal.`, `Give ${name} as a whole number.`),
      )
    } else if (zoomOk && value > 2 ** t.z - 1) {
      const last = 2 ** t.z - 1
      fields.push(
        pathError(
          name,
          `Kies ${name} van 0 tot en met ${last} op zoomniveau ${t.z}.`,
          `Choose ${name} from 0 to ${last} at zoom level ${t.z}.`,
        ),
      )
    }
  }
  onGrid('x', t.x)
  if (!mvt) {
    fields.push(
      pathError(
        'y',
        'Geef y als geheel getal met .mvt, bijvoorbeeld 42.mvt.',
        'Give y as a whole number with .mvt, e.g. 42.mvt.',
      ),
    )
  } else {
    onGrid('y', t.y)
  }
  if (fields.length > 0 || !isTile(t)) throw badParameter(fields)
  return t
}

/** The caller's filter parameters, in a stable order (lists sorted), without `v` and `lang`. */
function canonicalQuery(c: Context): string {
  const entries = Object.entries(c.req.query())
    .filter(([key, value]) => key !== 'v' && key !== 'lang' && value.trim() !== '')
    .map(([key, value]): [string, string] => [
      key,
      value.includes(',') && key !== 'bbox' && key !== 'q'
        ? value
            .split(',')
            .map((v) => v.trim())
            .sort()
            .join(',')
        : value.trim(),
    ])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return new URLSearchParams(entries).toString()
}

/** True when Accept-Encoding takes gzip (q not 0). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='))
    return (coding === 'gzip' || coding === 'x-gzip') && (!q || Number(q.slice(2)) > 0)
  })
}

const gzipped = new WeakMap<Tile, Uint8Array>()

/** The tile gzipped, once per tile (cached tiles keep theirs). */
function gzipOf(tile: Tile): Uint8Array {
  let bytes = gzipped.get(tile)
  if (!bytes) {
    bytes = gzipSync(tile.bytes, { level: 6 })
    gzipped.set(tile, bytes)
  }
  return bytes
}

/** True when If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const strip = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === etag)
}

export function tileRoutes(deps: {
  tiles: Tiles
  analysis: Analysis
  clock: Clock
  regionBbox: Bbox
  /**
   * The public address for absolute tile URLs (BUURTKAART_PUBLIC_URL); without it the URLs are
   * relative to the service's root. Never the request's Host header: behind a shared cache a
   * forged Host would be remembered and served to everyone.
   */
  publicUrl?: string | undefined
  /** Where these routes are mounted: `/api/v1/tiles`, or the deprecated `/tiles`. */
  base: string
}) {
  const { tiles, clock } = deps
  const suffix = deps.base === '/tiles' ? '.mvt' : ''
  const app = new OpenAPIHono<AppEnv>()
  const scope = (c: Context<AppEnv>) => (c.get('settings').public_map ? 'public' : 'private')

  app.get('/:layer/:z/:x/:y', async (c) => {
    const source = sourceOf(c.req.param('layer'))
    const t = parseTile(source, c.req.param('z'), c.req.param('x'), c.req.param('y'), suffix)
    const { request, requested, timeDependent } = source.read(c.req.query(), clock)
    const tile = await tiles.tile(request, t, requested)
    const immutable = requested !== undefined && requested === tile.version && !timeDependent
    // Compressed for clients that take gzip (MVT shrinks to about half); each encoding has its
    // own strong ETag, as RFC 9110 asks, and the compressed bytes are kept with the tile.
    const gzip = acceptsGzip(c.req.header('accept-encoding')) && tile.bytes.byteLength > 512
    const etag = gzip ? tile.etag.replace(/"$/, '-gz"') : tile.etag
    const headers = {
      etag,
      vary: 'Accept-Encoding',
      'cache-control': immutable
        ? `${scope(c)}, max-age=${YEAR_S}, immutable`
        : `${scope(c)}, no-cache`,
    }
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
    const body = gzip ? gzipOf(tile) : tile.bytes
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      ...headers,
      'content-type': MVT,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    })
  })

  app.get('/:tileset', async (c) => {
    const file = c.req.param('tileset')
    const source = sourceOf(/^(\w+)\.json$/.exec(file)?.[1] ?? file)
    const { request, metadata } = source.read(c.req.query(), clock)
    const version = await tiles.currentVersion(request)
    const query = canonicalQuery(c)
    const { id, name, description, minzoom, maxzoom, fields } = source
    const [w, s, e, n] = deps.regionBbox
    const body = JSON.stringify({
      tilejson: '3.0.0',
      name,
      description,
      version: '1.0.0',
      attribution: source.attribution,
      scheme: 'xyz',
      tiles: [
        `${deps.publicUrl ?? ''}${deps.base}/${id}/{z}/{x}/{y}${suffix}?v=${version}${query ? `&${query}` : ''}`,
      ],
      minzoom,
      maxzoom,
      bounds: [w, s, e, n],
      center: [(w + e) / 2, (s + n) / 2, 9],
      vector_layers: [{ id, description, minzoom, maxzoom, fields }],
      data_version: version,
      ...(await metadata(deps)),
    })
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
    const headers = { etag, 'cache-control': `${scope(c)}, no-cache` }
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
    return c.body(body, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' })
  })

  for (const source of TILE_SOURCES.values()) documentSource(app, source, suffix)
  return app
}

/** The OpenAPI description of a source's tiles and TileJSON, from its record. */
function documentSource(app: OpenAPIHono<AppEnv>, source: TileSource, suffix: string) {
  const unmade = {
    description: 'The tile cannot be made: too dense in its coarsest form, or no data loaded yet',
    content: problemContent,
  }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: `/${source.id}/{z}/{x}/{y}${suffix}`,
    summary: `A vector tile (MVT) of layer ${source.id}: ${source.name}`,
    description: source.description,
    request: {
      params: z.object({
        z: z.string().meta({ description: `Zoom: ${source.minzoom}–${source.maxzoom}` }),
        x: z.string(),
        y: z.string(),
      }),
      query: source.schema,
    },
    responses: {
      200: {
        description: 'The tile (empty when nothing is in it)',
        content: { [MVT]: { schema: z.unknown() } },
      },
      304: { description: 'Not modified (If-None-Match)' },
      400: { description: 'Invalid tile or parameter', content: problemContent },
      409: unmade,
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: `/${source.id}.json`,
    summary: `TileJSON 3.0 of layer ${source.id}: its tile URL with the current data version and the filters given`,
    request: { query: source.schema },
    responses: {
      200: { description: 'TileJSON', content: { 'application/json': { schema: z.unknown() } } },
      304: { description: 'Not modified (If-None-Match)' },
      400: { description: 'Invalid parameter', content: problemContent },
    },
  })
}
