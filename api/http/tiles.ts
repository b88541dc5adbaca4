import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { gzipSync } from 'node:zlib'
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { z } from 'zod'
import { AREA_LEVELS } from '../domain/areas.js'
import type { FieldError } from '../domain/errors.js'
import type { Bbox } from '../domain/geo.js'
import { ASSET_CLUSTER_MAX_ZOOM, isTile, type TileAddress } from '../domain/tiles.js'
import type { Clock } from '../domain/clock.js'
import {
  HEX_METRICS,
  LAYER_ZOOMS,
  TILE_LAYERS,
  type Tile,
  type TileLayer,
  type Tiles,
  type TileSpec,
} from '../services/tiles.js'
import type { AppEnv } from './env.js'
import { filterQuery, modeQuery, toPlaceFilter } from './analysis.js'
import { assetFilterQuery, toFilter } from './assets.js'
import { forwardedHttps } from './principal.js'
import { DomainError } from '../domain/errors.js'
import { FIGURE_RESOLUTION } from '../domain/surface.js'
import type { Analysis } from '../services/analysis.js'
import { figureInputs } from '../services/figures.js'
import { fromZod, problem } from './problem.js'
import { bboxQuery, thresholdFor } from './query.js'
import { problemContent } from './schemas.js'
import { HSTS } from './security.js'

/**
 * Vector tiles (MVT) of assets, areas and hexagon metrics, and a TileJSON 3.0 document per layer.
 *
 * Caching: the TileJSON names the layer's current data version in its tile URLs (`v=`). A tile
 * asked for with the current version never changes, so it is cacheable for a year (`immutable`,
 * CDN-friendly); without `v`, or with an old one, it must be revalidated (`no-cache`). The ETag
 * is a hash of the tile's bytes: after an edit, a tile whose content did not change keeps its
 * ETag (a 304 stays valid) and only the changed tiles get a new one. On a private map tiles need
 * a signed-in user and are `private`.
 */

const MVT = 'application/vnd.mapbox-vector-tile'
const YEAR_S = 31_536_000

/** A layer version as the TileJSON gives it: numbers joined by dots (e.g. 12 or 12.3.1). */
const versionQuery = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,15}){0,2}$/)
  .optional()
  .meta({ description: 'Data version from the TileJSON; makes the tile cacheable for a year' })

const assetTileQuery = z.strictObject({ ...assetFilterQuery, v: versionQuery })

const areaTileQuery = z.strictObject({
  level: z.enum(AREA_LEVELS).default('gemeente'),
  gemeente: assetFilterQuery.gemeente,
  bbox: assetFilterQuery.bbox,
  lang: assetFilterQuery.lang,
  v: versionQuery,
})

/** The parameters of GET /api/hexes (api/http/analysis.ts), for the same figures as tiles. */
const cellTileQuery = z.strictObject({
  metric: z.enum(HEX_METRICS),
  res: z.coerce
    .number()
    .int()
    .min(6)
    .max(10)
    .optional()
    .meta({ description: 'H3 resolution; default chosen from the zoom (7 at z≤8 … 10 at z≥12)' }),
  bbox: bboxQuery,
  ...modeQuery,
  ...filterQuery,
  v: versionQuery,
})

const isLayer = (name: string): name is TileLayer =>
  (TILE_LAYERS as readonly string[]).includes(name)

const unknownLayer = (name: string) =>
  problem(
    'not_found',
    { nl: 'Onbekende laag', en: 'Unknown layer' },
    {
      nl: `Er is geen tegellaag ${name}. Kies ${TILE_LAYERS.join(', ')}.`,
      en: `There is no tile layer ${name}. Choose ${TILE_LAYERS.join(', ')}.`,
    },
  )

const badParameter = (fields: FieldError[]) =>
  problem(
    'invalid_parameter',
    { nl: 'Ongeldige tegel', en: 'Invalid tile' },
    {
      nl: `Controleer: ${fields.map((f) => f.pointer).join(', ')}.`,
      en: `Check: ${fields.map((f) => f.pointer).join(', ')}.`,
    },
    fields,
  )

const pathError = (pointer: string, nl: string, en: string): FieldError => ({
  pointer,
  in: 'path',
  code: 'out_of_range',
  message: { nl, en },
})

/** z/x/y of the path: whole numbers on the grid, z within the layer's zooms, y ending in .mvt. */
function parseTile(layer: TileLayer, z: string, x: string, yFile: string): TileAddress {
  const { minzoom, maxzoom } = LAYER_ZOOMS[layer]
  const whole = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : NaN)
  const mvt = /^(.*)\.mvt$/.exec(yFile)
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

function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = c.req.query()
  const parsed = schema.safeParse(query)
  if (!parsed.success) throw fromZod(parsed.error, 'query', query)
  return parsed.data
}

/** What a request names: the layer's filters, the version it asks for, whether it follows the clock. */
interface Named {
  readonly spec: TileSpec
  readonly requested: string | undefined
  /** `openAt=now`: the tile changes with the time as well as with the data. */
  readonly timeDependent: boolean
}

function namedBy(layer: TileLayer, c: Context, clock: Clock): Named {
  if (layer === 'assets') {
    const q = readQuery(c, assetTileQuery)
    return { spec: { layer, filter: toFilter(q) }, requested: q.v, timeDependent: false }
  }
  if (layer === 'areas') {
    const q = readQuery(c, areaTileQuery)
    return {
      spec: {
        layer,
        filter: { level: q.level, gemeente: q.gemeente, bbox: q.bbox },
      },
      requested: q.v,
      timeDependent: false,
    }
  }
  const q = readQuery(c, cellTileQuery)
  if (q.metric !== 'density' && q.res !== undefined && q.res < 7) {
    throw badQuery(
      'res',
      'Inwoners en afstanden zijn er voor resolutie 7 tot en met 10.',
      'Inhabitants and distances exist for resolutions 7 to 10.',
    )
  }
  if (q.metric === 'detour' && q.mode === 'line') {
    throw badQuery(
      'mode',
      'De omweg vergelijkt het wegennet met de rechte lijn: kies walk of bike.',
      'The detour compares the network with the straight line: choose walk or bike.',
    )
  }
  return {
    spec: {
      layer,
      params: {
        metric: q.metric,
        mode: q.mode,
        thresholdM: thresholdFor(q.mode, q.threshold),
        res: q.res,
        filter: toPlaceFilter(q, clock),
        bbox: q.bbox,
      },
    },
    requested: q.v,
    timeDependent: q.openAt === 'now',
  }
}

const badQuery = (pointer: string, nl: string, en: string) =>
  problem('invalid_parameter', { nl: 'Ongeldige parameter', en: 'Invalid parameter' }, { nl, en }, [
    { pointer, in: 'query', code: 'not_allowed', message: { nl, en } },
  ])

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

const LAYER_DOCS: Record<
  TileLayer,
  { name: string; description: string; fields: Record<string, string> }
> = {
  assets: {
    name: 'Buurtkaart assets',
    description: `Assets (places). Up to zoom ${ASSET_CLUSTER_MAX_ZOOM} grouped in clusters on a grid; a cluster of one is the asset itself. From zoom ${ASSET_CLUSTER_MAX_ZOOM + 1} one point per asset, unless a tile would exceed 500 KB or 20,000 features (then clusters again).`,
    fields: {
      id: 'String: asset id (uuid); absent on clusters',
      name: 'String',
      kind: 'String: kind code',
      is_meeting_place: 'Boolean',
      status: 'String: active, planned or closed',
      checked: 'String: day last verified (else created), YYYY-MM-DD (UTC)',
      cluster: 'Boolean: true on clusters',
      point_count: 'Number: assets in the cluster',
      point_count_abbreviated: 'String: 950, 1.2k, 15k',
      meeting_places: 'Number: meeting places in the cluster',
    },
  },
  areas: {
    name: 'Buurtkaart areas',
    description: 'CBS areas of one level (parameter level: gemeente, wijk, buurt or pc4).',
    fields: {
      code: 'String: CBS code',
      name: 'String',
      inhabitants: 'Number (absent when unknown)',
    },
  },
  cells: {
    name: 'Buurtkaart hexagon metrics',
    description:
      'H3 cells with the values of GET /api/hexes for the metric. Every figure is computed at resolution 10; the hexagons drawn follow the zoom (7 at z≤8, 8 at z9, 9 at z10–11, 10 from z12; density 6 at z≤6) unless res is given, coarser where a tile would be too large, and hold the sum of their resolution-10 children (means weighted by inhabitants). The inputs and fingerprint of the figures are in this TileJSON.',
    fields: {
      cell: 'String: H3 index',
      res: 'Number: H3 resolution of the hexagon',
      inhabitants: 'Number: inhabitants (fractional); on the gap metric those beyond the threshold',
      totalInhabitants: 'Number: all inhabitants of the hexagon (metric gap)',
      distanceM:
        'Number: inhabitant-weighted mean metres to the nearest counted place (on the gap metric over those beyond the threshold; absent when none is reachable)',
      withinShare: 'Number: share of the inhabitants within the threshold',
      unreachableInhabitants: 'Number: inhabitants with no reachable place',
      straightM: 'Number: straight-line metres (metric detour)',
      detour: 'Number: network ÷ straight line (metric detour)',
      unreachable: 'String: why no distance (network modes, resolution 10)',
      severity: 'Number: inhabitants × metres beyond the threshold (metric gap)',
      total: 'Number: assets in the cell (metric density)',
      meetingPlaces: 'Number: meeting places in the cell (metric density)',
    },
  },
}

/**
 * Finished answers for tile URLs that name their version (`v`) on a public map: for such a URL
 * the bytes and headers never change, so a repeat request is answered from here at Node's HTTP
 * layer, before the app (see `answerRemembered`). Keyed on the path with its query and the
 * encoding; the least recently used go first.
 */
export class TileAnswers {
  private readonly answers = new Map<string, TileAnswer>()
  private bytes = 0
  /** At most `maxBytes` of tile bodies (the bodies are mostly shared with the tile cache). */
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** `target`: the request's path and query, as Node's `IncomingMessage.url` gives them. */
  static key(target: string, gzip: boolean): string {
    return gzip ? `gz|${target}` : target
  }

  get(key: string): TileAnswer | undefined {
    const hit = this.answers.get(key)
    if (hit) {
      this.answers.delete(key)
      this.answers.set(key, hit)
    }
    return hit
  }

  set(key: string, answer: TileAnswer) {
    const old = this.answers.get(key)
    if (old) this.bytes -= old.body.byteLength
    this.answers.delete(key)
    this.answers.set(key, answer)
    this.bytes += answer.body.byteLength
    for (const [oldest, entry] of this.answers) {
      if (this.bytes <= this.maxBytes || oldest === key) break
      this.answers.delete(oldest)
      this.bytes -= entry.body.byteLength
    }
  }

  /** Bytes of tile bodies held. */
  get size(): number {
    return this.bytes
  }
}

interface TileAnswer {
  readonly etag: string
  readonly body: Uint8Array
  /** The headers of the 200 answer. */
  readonly headers: Record<string, string>
  /** The headers of a 304 answer (validators and caching only). */
  readonly notModified: Record<string, string>
}

/**
 * Answers a repeat request for a versioned tile on a public map from `answers`, at Node's HTTP
 * layer: no fetch Request or Response is built and no routing, authentication or access log
 * runs, so a remembered tile costs little more than writing it. Such an answer is the same for
 * everyone and for ever. Returns false when the app must answer: not a GET of a remembered URL,
 * or the map not known (from a fresh settings read) to be public.
 */
export function answerRemembered(
  answers: TileAnswers,
  publicMap: () => boolean | undefined,
  trustProxy: boolean,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): boolean {
  const target = incoming.url
  if (incoming.method !== 'GET' || !target?.startsWith('/tiles/')) return false
  const h = incoming.headers
  const hit = answers.get(TileAnswers.key(target, acceptsGzip(h['accept-encoding'])))
  if (!hit || publicMap() !== true) return false
  const https =
    (incoming.socket as Partial<TLSSocket>).encrypted === true ||
    (trustProxy && forwardedHttps(String(h['x-forwarded-proto'] ?? '')))
  const fresh = matches(h['if-none-match'], hit.etag)
  const headers = fresh ? hit.notModified : hit.headers
  outgoing.writeHead(fresh ? 304 : 200, https ? { ...headers, ...TILE_HSTS } : headers)
  outgoing.end(fresh ? undefined : hit.body)
  return true
}

/** The path and query of an absolute URL (`http://host/a?b` → `/a?b`). */
function pathAndQuery(url: string): string {
  const slash = url.indexOf('/', url.indexOf('//') + 2)
  return slash < 0 ? '/' : url.slice(slash)
}

/** The security headers that matter for a binary tile (no page: no CSP or frame policy). */
const TILE_SECURITY = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'strict-origin-when-cross-origin',
}
const TILE_HSTS = { 'strict-transport-security': HSTS }

export function tileRoutes(deps: {
  tiles: Tiles
  analysis: Analysis
  clock: Clock
  regionBbox: Bbox
  trustProxy: boolean
  /**
   * The public address for absolute tile URLs (BUURTKAART_PUBLIC_URL); without it the URLs are
   * relative to the service's root. Never the request's Host header: behind a shared cache a
   * forged Host would be remembered and served to everyone.
   */
  publicUrl?: string | undefined
  /** Where versioned public tiles are remembered for `answerRemembered`. */
  answers?: TileAnswers
}) {
  const { tiles, clock } = deps
  const app = new OpenAPIHono<AppEnv>()

  /**
   * What the hexagon figures of a cells layer are computed from (as GET /api/hexes gives them),
   * with their fingerprint: the TileJSON is the tiles' metadata.
   */
  async function cellInputs(spec: TileSpec) {
    if (spec.layer !== 'cells' || spec.params.metric === 'density') return {}
    const p = spec.params
    let result
    try {
      result = await deps.analysis.reachFor(FIGURE_RESOLUTION, p.mode, p.filter)
    } catch (e) {
      // No inhabitants or no network yet: the tiles themselves will say so.
      if (e instanceof DomainError) return {}
      throw e
    }
    const { computedAt: _at, ...inputs } = await figureInputs(deps.analysis, clock, {
      result,
      res: FIGURE_RESOLUTION,
      mode: p.mode,
      thresholdM: p.thresholdM,
      filter: p.filter,
    })
    if (p.metric !== 'population') return { inputs, fingerprint: inputs.dataVersion.fingerprint }
    // Inhabitants alone depend on the areas and the model, not on places or distances.
    const population = {
      population: inputs.population,
      resolution: inputs.resolution,
      dataVersion: { areas: inputs.dataVersion.areas },
    }
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(population))
      .digest('hex')
      .slice(0, 16)
    return { inputs: population, fingerprint }
  }
  const scope = (c: Context<AppEnv>) => (c.get('settings').public_map ? 'public' : 'private')

  app.get('/:layer/:z/:x/:y', async (c) => {
    const name = c.req.param('layer')
    if (!isLayer(name)) throw unknownLayer(name)
    const t = parseTile(name, c.req.param('z'), c.req.param('x'), c.req.param('y'))
    const { spec, requested, timeDependent } = namedBy(name, c, clock)
    const tile = await tiles.tile(spec, t, requested)
    const immutable = requested !== undefined && requested === tile.version && !timeDependent
    // Compressed for clients that take gzip (MVT shrinks to about half); each encoding has its
    // own strong ETag, as RFC 9110 asks, and the compressed bytes are kept with the tile.
    const takesGzip = acceptsGzip(c.req.header('accept-encoding'))
    const gzipped = takesGzip && tile.bytes.byteLength > 512
    const etag = gzipped ? tile.etag.replace(/"$/, '-gz"') : tile.etag
    const headers = {
      etag,
      vary: 'Accept-Encoding',
      'cache-control': immutable
        ? `${scope(c)}, max-age=${YEAR_S}, immutable`
        : `${scope(c)}, no-cache`,
    }
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
    const body = gzipped ? gzipOf(tile) : tile.bytes
    const answer = {
      ...headers,
      'content-type': MVT,
      ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
    }
    // Only what is the same for everyone and for ever: a versioned tile on a public map. (A
    // request without gzip may still get the plain bytes under the gzip key: small tiles.)
    if (immutable && c.get('settings').public_map) {
      deps.answers?.set(TileAnswers.key(pathAndQuery(c.req.url), takesGzip), {
        etag,
        body,
        headers: { ...TILE_SECURITY, ...answer, 'content-length': String(body.byteLength) },
        notModified: { ...TILE_SECURITY, ...headers },
      })
    }
    return c.body(body as Uint8Array<ArrayBuffer>, 200, answer)
  })

  app.get('/:tileset', async (c) => {
    const file = c.req.param('tileset')
    const name = /^(\w+)\.json$/.exec(file)?.[1] ?? file
    if (!isLayer(name)) throw unknownLayer(name)
    const { spec } = namedBy(name, c, clock)
    const version = await tiles.currentVersion(spec)
    const origin = deps.publicUrl ?? ''
    const query = canonicalQuery(c)
    const docs = LAYER_DOCS[name]
    const { minzoom, maxzoom } = LAYER_ZOOMS[name]
    const [w, s, e, n] = deps.regionBbox
    const body = JSON.stringify({
      tilejson: '3.0.0',
      name: docs.name,
      description: docs.description,
      version: '1.0.0',
      attribution:
        name === 'areas' ? '© CBS, Kadaster' : name === 'cells' ? '© CBS, Kadaster; H3' : undefined,
      scheme: 'xyz',
      tiles: [`${origin}/tiles/${name}/{z}/{x}/{y}.mvt?v=${version}${query ? `&${query}` : ''}`],
      minzoom,
      maxzoom,
      bounds: [w, s, e, n],
      center: [(w + e) / 2, (s + n) / 2, 9],
      vector_layers: [
        { id: name, description: docs.description, minzoom, maxzoom, fields: docs.fields },
      ],
      data_version: version,
      ...(await cellInputs(spec)),
    })
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
    const headers = { etag, 'cache-control': `${scope(c)}, no-cache` }
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
    return c.body(body, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' })
  })

  const layerParam = z.enum(TILE_LAYERS)
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{layer}/{z}/{x}/{y}.mvt',
    summary:
      'A vector tile (MVT) of assets, areas or hexagon metrics; the filters of GET /api/assets, /api/areas or /api/hexes',
    request: {
      params: z.object({
        layer: layerParam,
        z: z.string().meta({ description: 'Zoom: assets 0–16, areas and cells 0–14' }),
        x: z.string(),
        y: z.string(),
      }),
      query: z.object({
        v: versionQuery,
      }),
    },
    responses: {
      200: {
        description: 'The tile (empty when nothing is in it)',
        content: { [MVT]: { schema: z.unknown() } },
      },
      304: { description: 'Not modified (If-None-Match)' },
      400: { description: 'Invalid tile or parameter', content: problemContent },
      404: { description: 'Unknown layer', content: problemContent },
      409: { description: 'No inhabitants or network loaded (cells)', content: problemContent },
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{layer}.json',
    summary:
      'TileJSON 3.0 of a tile layer: its tile URL with the current data version and the filters given',
    request: { params: z.object({ layer: layerParam }) },
    responses: {
      200: { description: 'TileJSON', content: { 'application/json': { schema: z.unknown() } } },
      304: { description: 'Not modified (If-None-Match)' },
      400: { description: 'Invalid parameter', content: problemContent },
      404: { description: 'Unknown layer', content: problemContent },
    },
  })

  return app
}
