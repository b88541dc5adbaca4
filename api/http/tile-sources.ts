import { createHash } from 'node:crypto'
import { z } from 'zod'
import { AREA_LEVELS } from '../domain/areas.js'
import type { Clock } from '../domain/clock.js'
import { DomainError, invalidParameter } from '../domain/errors.js'
import { FIELD, PROBLEM, type Bilingual } from '../domain/messages.js'
import { FIGURE_RESOLUTION } from '../domain/surface.js'
import { ASSET_CLUSTER_MAX_ZOOM, type TileAddress } from '../domain/tiles.js'
import type { DataVersion } from '../repositories/population.js'
import type { Analysis } from '../services/analysis.js'
import { figureInputs } from '../services/figures.js'
import { cellTile, HEX_METRICS, type CellParams } from '../services/tile-cells.js'
import {
  areaTile,
  assetTile,
  type Tile,
  type TileContext,
  type TileRequest,
} from '../services/tiles.js'
import { filterQuery, modeQuery, toPlaceFilter } from './analysis.js'
import { assetFilterQuery, toFilter } from './assets.js'
import { fromZod } from './problem.js'
import { bboxQuery, thresholdFor } from './query.js'

/**
 * The tile layers, one record each, as Martin has its sources: the query a layer takes, its
 * zooms, what its TileJSON says, the data version its tiles follow and how a tile is made. The
 * routes, the TileJSON and the OpenAPI documents (api/http/tiles.ts) are made from these; a new
 * layer is a new record here.
 */

/** What a source's TileJSON extras may read. */
export interface SourceDeps {
  readonly analysis: Analysis
  readonly clock: Clock
}

interface SourceDef<Shape extends z.ZodRawShape, Spec> {
  /** The layer name: in the URL (`/tiles/{id}/…`) and as the MVT layer's name. */
  readonly id: string
  readonly minzoom: number
  /** A client over-zooms past this. */
  readonly maxzoom: number
  /** TileJSON name, description and attribution, and the features' properties. */
  readonly name: string
  readonly description: string
  readonly attribution?: string
  readonly fields: Readonly<Record<string, string>>
  /** The query parameters of its tiles and TileJSON (besides `v`). */
  readonly query: Shape
  /** What a valid query asks for; throws a problem for combinations the schema lets through. */
  spec(q: z.output<z.ZodObject<Shape>>, clock: Clock): Spec
  /** The data version its tiles depend on (`TileRequest.version`). */
  version(spec: Spec, v: DataVersion): string
  make(ctx: TileContext, t: TileAddress, spec: Spec): Promise<Tile>
  /** True when its tiles follow the clock as well as the data (never cached for a year). */
  timeDependent?(q: z.output<z.ZodObject<Shape>>): boolean
  /** More TileJSON: what the tiles' figures are computed from. */
  metadata?(spec: Spec, deps: SourceDeps): Promise<Record<string, unknown>>
}

/** A tile layer, with its query schema; `read` turns a request's query into what it asks for. */
export interface TileSource {
  readonly id: string
  readonly minzoom: number
  readonly maxzoom: number
  readonly name: string
  readonly description: string
  readonly attribution: string | undefined
  readonly fields: Readonly<Record<string, string>>
  /** Its query parameters with `v`, strict (unknown parameters are a 400). */
  readonly schema: z.ZodObject
  read(query: Record<string, string>, clock: Clock): ReadQuery
}

/** What a request names: the tiles, the version it asks for, whether they follow the clock. */
export interface ReadQuery {
  readonly request: TileRequest
  readonly requested: string | undefined
  readonly timeDependent: boolean
  readonly metadata: (deps: SourceDeps) => Promise<Record<string, unknown>>
}

/** A layer version as the TileJSON gives it: numbers joined by dots (e.g. 12 or 12.3.1). */
export const versionQuery = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,15}){0,2}$/)
  .optional()
  .meta({ description: 'Data version from the TileJSON; makes the tile cacheable for a year' })

/**
 * A stable key of a spec: properties in name order, lists of names (kinds, statuses) as sets.
 * Equal keys make equal tiles at equal versions.
 */
export function specKey(spec: unknown): string {
  return JSON.stringify(spec, (_, value: unknown) => {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...value].sort()
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return Object.fromEntries(entries)
    }
    return value
  })
}

function defineSource<Shape extends z.ZodRawShape, Spec>(def: SourceDef<Shape, Spec>): TileSource {
  const schema = z.strictObject({ ...def.query, v: versionQuery })
  return {
    id: def.id,
    minzoom: def.minzoom,
    maxzoom: def.maxzoom,
    name: def.name,
    description: def.description,
    attribution: def.attribution,
    fields: def.fields,
    schema,
    read(query, clock) {
      const parsed = schema.safeParse(query)
      if (!parsed.success) throw fromZod(parsed.error, 'query', query)
      const q = parsed.data as z.output<z.ZodObject<Shape>> & { v?: string | undefined }
      const spec = def.spec(q, clock)
      return {
        request: {
          key: `${def.id}|${specKey(spec)}`,
          version: (v) => def.version(spec, v),
          make: (ctx, t) => def.make(ctx, t, spec),
        },
        requested: q.v,
        timeDependent: def.timeDependent?.(q) ?? false,
        metadata: (deps) => def.metadata?.(spec, deps) ?? Promise.resolve({}),
      }
    },
  }
}

const badQuery = (pointer: string, why: Bilingual) =>
  invalidParameter(PROBLEM.tileParameterNotAllowed(why), {
    fields: [{ pointer, in: 'query', code: 'not_allowed', message: why }],
  })

const assets = defineSource({
  id: 'assets',
  minzoom: 0,
  maxzoom: 16,
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
  query: assetFilterQuery,
  spec: (q) => toFilter(q),
  version: (_, v) => String(v.assets),
  make: assetTile,
})

const areas = defineSource({
  id: 'areas',
  minzoom: 0,
  maxzoom: 14,
  name: 'Buurtkaart areas',
  description: 'CBS areas of one level (parameter level: gemeente, wijk, buurt or pc4).',
  attribution: '© CBS, Kadaster',
  fields: {
    code: 'String: CBS code',
    name: 'String',
    inhabitants: 'Number (absent when unknown)',
  },
  query: {
    level: z.enum(AREA_LEVELS).default('gemeente'),
    gemeente: assetFilterQuery.gemeente,
    bbox: assetFilterQuery.bbox,
    lang: assetFilterQuery.lang,
  },
  spec: (q) => ({ level: q.level, gemeente: q.gemeente, bbox: q.bbox }),
  version: (_, v) => String(v.areas),
  make: areaTile,
})

const cells = defineSource({
  id: 'cells',
  minzoom: 0,
  maxzoom: 14,
  name: 'Buurtkaart hexagon metrics',
  description:
    'H3 cells with the values of GET /api/hexes for the metric. Every figure is computed at resolution 10; the hexagons drawn follow the zoom (7 at z≤8, 8 at z9, 9 at z10–11, 10 from z12; density 6 at z≤6) unless res is given, coarser where a tile would be too large, and hold the sum of their resolution-10 children (means weighted by inhabitants). The inputs and fingerprint of the figures are in this TileJSON.',
  attribution: '© CBS, Kadaster; H3',
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
  // The parameters of GET /api/hexes (api/http/analysis.ts), for the same figures as tiles.
  query: {
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
  },
  spec(q, clock): CellParams {
    if (q.metric !== 'density' && q.res !== undefined && q.res < 7) {
      throw badQuery('res', FIELD.tileResolution)
    }
    if (q.metric === 'detour' && q.mode === 'line') {
      throw badQuery('mode', FIELD.tileDetourMode)
    }
    return {
      metric: q.metric,
      mode: q.mode,
      thresholdM: thresholdFor(q.mode, q.threshold),
      res: q.res,
      filter: toPlaceFilter(q, clock),
      bbox: q.bbox,
    }
  },
  // Population: areas; density: assets; distances: assets and areas, and the network for walk
  // and bike.
  version({ metric, mode }, v) {
    if (metric === 'population') return String(v.areas)
    if (metric === 'density') return String(v.assets)
    return mode === 'line' ? `${v.assets}.${v.areas}` : `${v.assets}.${v.areas}.${v.network}`
  },
  make: cellTile,
  timeDependent: (q) => q.openAt === 'now',
  metadata: cellInputs,
})

/**
 * What the hexagon figures of a cells layer are computed from (as GET /api/hexes gives them),
 * with their fingerprint: the TileJSON is the tiles' metadata.
 */
async function cellInputs(p: CellParams, { analysis, clock }: SourceDeps) {
  if (p.metric === 'density') return {}
  let result
  try {
    result = await analysis.reachFor(FIGURE_RESOLUTION, p.mode, p.filter)
  } catch (e) {
    // No inhabitants or no network yet: the tiles themselves will say so.
    if (e instanceof DomainError) return {}
    throw e
  }
  const { computedAt: _at, ...inputs } = await figureInputs(analysis, clock, {
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

/** Every tile layer, by name. */
export const TILE_SOURCES: ReadonlyMap<string, TileSource> = new Map(
  [assets, areas, cells].map((source) => [source.id, source]),
)
