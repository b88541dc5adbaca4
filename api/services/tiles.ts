import { createHash } from 'node:crypto'
import { cellToBoundary, cellToLatLng, getHexagonEdgeLengthAvg, UNITS } from 'h3-js'
import { fromVectorTileJs, type VectorTileFeatureLike } from '@maplibre/vt-pbf'
import { DomainError } from '../domain/errors.js'
import { bboxContains, type Bbox } from '../domain/geo.js'
import type { PlaceFilter } from '../domain/places.js'
import type { Mode } from '../domain/reach.js'
import { isNetworkReach } from '../domain/network/reach.js'
import { FIGURE_RESOLUTION } from '../domain/surface.js'
import { aggregate, parentIndex, type ParentIndex } from '../domain/aggregate.js'
import {
  BUFFER,
  EXTENT,
  assetShapes,
  cellResolution,
  clipRing,
  lonLatToMercator,
  polygonsToTileRings,
  tileBox,
  unitSize,
  type Ring,
  type TileAddress,
  type TileFeature,
  type TileValue,
} from '../domain/tiles.js'
import type { Backend } from '../db/create-db.js'
import type { Database } from '../db/database.js'
import type { AssetFilter } from '../repositories/assets.js'
import { dataVersion, type DataVersion } from '../repositories/population.js'
import {
  areaTileRows,
  assetTileRows,
  postgresAreaTileSql,
  postgresAssetTileSql,
  runTileQuery,
  type AreaTileFilter,
} from '../repositories/tiles.js'
import { filterKey, type Analysis } from './analysis.js'

/** No tile is larger than this or has more features; a denser tile takes a coarser form. */
export interface TileLimits {
  readonly maxBytes: number
  readonly maxFeatures: number
}
export const TILE_LIMITS: TileLimits = { maxBytes: 500 * 1024, maxFeatures: 20_000 }

export const TILE_LAYERS = ['assets', 'areas', 'cells'] as const
export type TileLayer = (typeof TILE_LAYERS)[number]

/** Zooms each layer is made for; a client over-zooms past maxzoom. */
export const LAYER_ZOOMS: Record<TileLayer, { minzoom: number; maxzoom: number }> = {
  assets: { minzoom: 0, maxzoom: 16 },
  areas: { minzoom: 0, maxzoom: 14 },
  cells: { minzoom: 0, maxzoom: 14 },
}

export const HEX_METRICS = ['population', 'density', 'distance', 'gap', 'detour'] as const
export type HexMetric = (typeof HEX_METRICS)[number]

/** What a hexagon-metric tile shows: the parameters of GET /api/hexes. */
export interface CellParams {
  readonly metric: HexMetric
  readonly mode: Mode
  readonly thresholdM: number
  /** A fixed H3 resolution; absent: chosen from the zoom (`cellResolution`). */
  readonly res?: number | undefined
  readonly filter: PlaceFilter
  readonly bbox?: Bbox | undefined
}

/** One layer with its filters: what a tile URL names besides z/x/y. */
export type TileSpec =
  | { readonly layer: 'assets'; readonly filter: AssetFilter }
  | { readonly layer: 'areas'; readonly filter: AreaTileFilter }
  | { readonly layer: 'cells'; readonly params: CellParams }

/** An encoded tile and what it was made from. */
export interface Tile {
  readonly bytes: Uint8Array
  /** Strong entity tag: a hash of the bytes, so an unchanged tile keeps it across edits. */
  readonly etag: string
  /** The layer's data version the tile was read at (see `layerVersion`). */
  readonly version: string
  readonly features: number
}

/**
 * Encodes features as one MVT 2.1 layer with @maplibre/vt-pbf. Used on PGlite (no ST_AsMVT) and
 * on both backends for hexagon metrics, whose values come from the in-memory analysis engine,
 * not from SQL. No features: an empty tile (zero bytes), as ST_AsMVT makes it.
 */
export function encodeTile(layer: string, features: readonly TileFeature[], extent = EXTENT) {
  if (features.length === 0) return new Uint8Array(0)
  return fromVectorTileJs({
    layers: {
      [layer]: {
        version: 2,
        name: layer,
        extent,
        length: features.length,
        feature: (i: number): VectorTileFeatureLike => {
          const f = features[i] as TileFeature
          const rings =
            f.type === 'point' ? [[{ x: f.point[0], y: f.point[1] }]] : f.rings.map(toPoints)
          return {
            type: f.type === 'point' ? 1 : 3,
            properties: f.properties as Record<string, TileValue>,
            id: undefined,
            extent,
            // The encoder reads only x and y of each point.
            loadGeometry: () => rings,
          }
        },
      },
    },
  })
}

const toPoints = (ring: Ring) => ring.map(([x, y]) => ({ x, y }))

const etagOf = (bytes: Uint8Array) =>
  `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`

/**
 * The data version a layer's tiles depend on, as a short text: assets on the asset counter, areas
 * on the area counter, a hexagon metric on what it is computed from (population: areas; density:
 * assets; distances: assets and areas, and the network for walk and bike). An edit elsewhere
 * leaves the version, and so every cached tile and URL of the layer, as it was.
 */
export function layerVersion(spec: TileSpec, v: DataVersion): string {
  if (spec.layer === 'assets') return String(v.assets)
  if (spec.layer === 'areas') return String(v.areas)
  const { metric, mode } = spec.params
  if (metric === 'population') return String(v.areas)
  if (metric === 'density') return String(v.assets)
  return mode === 'line' ? `${v.assets}.${v.areas}` : `${v.assets}.${v.areas}.${v.network}`
}

/** A stable key of the filters: equal keys make equal tiles at equal versions. */
export function specKey(spec: TileSpec): string {
  const sorted = (list: readonly string[] | undefined) => (list?.length ? [...list].sort() : null)
  if (spec.layer === 'assets') {
    const f = spec.filter
    return JSON.stringify([
      'assets',
      f.bbox ?? null,
      sorted(f.kinds),
      sorted(f.statuses),
      f.q ?? null,
      f.gemeente ?? null,
    ])
  }
  if (spec.layer === 'areas') {
    const f = spec.filter
    return JSON.stringify(['areas', f.level, f.gemeente ?? null, f.bbox ?? null])
  }
  const p = spec.params
  return JSON.stringify([
    'cells',
    p.metric,
    p.mode,
    p.thresholdM,
    p.res ?? null,
    p.bbox ?? null,
    filterKey(p.filter),
  ])
}

/** Least recently used encoded tiles, bounded by their total size. */
export class TileCache {
  readonly #tiles = new Map<string, Tile>()
  #bytes = 0
  constructor(private readonly maxBytes: number) {}

  get(key: string): Tile | undefined {
    const tile = this.#tiles.get(key)
    if (tile) {
      this.#tiles.delete(key)
      this.#tiles.set(key, tile)
    }
    return tile
  }

  set(key: string, tile: Tile): void {
    const old = this.#tiles.get(key)
    if (old) {
      this.#tiles.delete(key)
      this.#bytes -= old.bytes.byteLength
    }
    this.#tiles.set(key, tile)
    this.#bytes += tile.bytes.byteLength
    for (const [k, t] of this.#tiles) {
      if (this.#bytes <= this.maxBytes) break
      this.#tiles.delete(k)
      this.#bytes -= t.bytes.byteLength
    }
  }

  get size(): number {
    return this.#tiles.size
  }
}

const tooDense = () =>
  new DomainError(
    'conflict',
    { nl: 'Tegel te vol', en: 'Tile too dense' },
    {
      nl: 'Deze tegel wordt ook in de grofste vorm groter dan toegestaan. Zoom in of filter meer.',
      en: 'This tile is larger than allowed even in its coarsest form. Zoom in or filter more.',
    },
  )

export interface TileDeps {
  /**
   * Where tiles are read (the read replica when there is one): the same database the analysis
   * engine reads, so the version of a hexagon metric is the version its figures come from.
   */
  readonly db: Database
  readonly backend: Backend
  readonly analysis: Analysis
  readonly limits?: TileLimits
  /** Bytes of encoded tiles kept in memory (default 64 MB; 0 keeps none). */
  readonly cacheBytes?: number | undefined
}

/**
 * Vector tiles of assets, areas and hexagon metrics, with an in-process cache keyed on the
 * layer's data version. A tile is read together with the version it shows (one statement on
 * PostgreSQL, one transaction on PGlite), so a cached tile never mixes two versions.
 */
export function createTiles(deps: TileDeps) {
  const limits = deps.limits ?? TILE_LIMITS
  const cache = new TileCache(deps.cacheBytes ?? 64 * 1024 * 1024)
  const building = new Map<string, Promise<Tile>>()
  const fits = (bytes: number, features: number) =>
    bytes <= limits.maxBytes && features <= limits.maxFeatures

  async function currentVersion(spec: TileSpec): Promise<string> {
    return layerVersion(spec, await dataVersion(deps.db))
  }

  async function assetTile(t: TileAddress, filter: AssetFilter): Promise<Tile> {
    for (const shape of assetShapes(t.z)) {
      if (deps.backend === 'postgresql') {
        const made = await runTileQuery(deps.db, postgresAssetTileSql(t, filter, shape))
        if (fits(made.bytes.byteLength, made.features))
          return { ...made, etag: etagOf(made.bytes), version: String(made.version) }
      } else {
        const rows = await assetTileRows(deps.db, t, filter, shape)
        if (rows.features.length > limits.maxFeatures) continue
        const bytes = encodeTile('assets', rows.features)
        if (fits(bytes.byteLength, rows.features.length))
          return tileOf(bytes, rows.features.length, String(rows.version))
      }
    }
    throw tooDense()
  }

  /** Area outlines at 4096 units per tile side, else coarser grids (1024, 256). */
  async function areaTile(t: TileAddress, filter: AreaTileFilter): Promise<Tile> {
    for (const extent of [EXTENT, 1024, 256]) {
      if (deps.backend === 'postgresql') {
        const made = await runTileQuery(deps.db, postgresAreaTileSql(t, filter, extent))
        if (fits(made.bytes.byteLength, made.features))
          return { ...made, etag: etagOf(made.bytes), version: String(made.version) }
      } else {
        const read = await areaTileRows(deps.db, t, filter, extent)
        const features = read.features.filter((f) => f.type !== 'polygon' || f.rings.length > 0)
        const bytes = encodeTile('areas', features, extent)
        if (fits(bytes.byteLength, features.length))
          return tileOf(bytes, features.length, String(read.version))
      }
    }
    throw tooDense()
  }

  /**
   * Hexagons of a metric, encoded in TypeScript on both backends: the values come from the
   * in-memory analysis engine (the same figures as GET /api/hexes), not from SQL. The resolution
   * follows the zoom; a tile over the caps takes the next coarser one.
   */
  async function cellTile(t: TileAddress, spec: TileSpec & { layer: 'cells' }): Promise<Tile> {
    const p = spec.params
    const start = p.res ?? cellResolution(t.z, p.metric)
    const lowest = p.metric === 'density' ? 6 : 7
    for (let res = start; res >= lowest; res--) {
      const before = await currentVersion(spec)
      const values = await cellValues(deps.analysis, p, res)
      const features = cellFeatures(values, t)
      const after = await currentVersion(spec)
      if (features.length > limits.maxFeatures) continue
      const bytes = encodeTile('cells', features)
      if (!fits(bytes.byteLength, features.length)) continue
      // An edit while computing: the figures may be of either version, so they are not cached.
      return tileOf(bytes, features.length, before === after ? after : '')
    }
    throw tooDense()
  }

  function build(spec: TileSpec, t: TileAddress): Promise<Tile> {
    if (spec.layer === 'assets') return assetTile(t, spec.filter)
    if (spec.layer === 'areas') return areaTile(t, spec.filter)
    return cellTile(t, spec)
  }

  return {
    limits,
    currentVersion,

    /**
     * The tile at z/x/y. With `requested` (the `v` of a URL from the TileJSON) a cached tile of
     * that version answers without asking the database, and a miss costs one statement (the
     * version is read with the tile). Without it the current version is read first. Either way a
     * tile is made once per version: concurrent requests for it share the work.
     */
    async tile(spec: TileSpec, t: TileAddress, requested?: string): Promise<Tile> {
      const base = `${specKey(spec)}|${t.z}/${t.x}/${t.y}`
      const version = requested ?? (await currentVersion(spec))
      const key = `${base}|${version}`
      const hit = cache.get(key)
      if (hit) return hit
      let pending = building.get(key)
      if (!pending) {
        pending = build(spec, t).then((tile) => {
          if (tile.version !== '') cache.set(`${base}|${tile.version}`, tile)
          return tile
        })
        building.set(key, pending)
        const done = () => building.delete(key)
        pending.then(done, done)
      }
      return pending
    },

    /** How many tiles the cache holds (for tests and diagnostics). */
    cachedTiles: () => cache.size,
  }
}

export type Tiles = ReturnType<typeof createTiles>

const tileOf = (bytes: Uint8Array, features: number, version: string): Tile => ({
  bytes,
  etag: etagOf(bytes),
  version,
  features,
})

/** Cells of a metric with the properties the web app draws (web/src/map hexFeatures). */
export interface CellValues {
  readonly res: number
  readonly cells: readonly string[]
  readonly properties: readonly Record<string, TileValue>[]
}

const round = (v: number, decimals: number) => Number(v.toFixed(decimals))

/**
 * Decimals of a hexagon's inhabitants: a rural hexagon holds a fraction of a person, and rounding
 * a hundred thousand of them to hundredths shifted tens of people in the sum; to millionths the
 * sum stays within a tenth.
 */
const CELL_DECIMALS = 6

/** Parent indexes per surface and resolution, made once per data version. */
const parentIndexes = new WeakMap<object, Map<number, ParentIndex>>()
function parentsOf(surface: { cells: readonly string[] }, res: number): ParentIndex {
  let byRes = parentIndexes.get(surface)
  if (!byRes) parentIndexes.set(surface, (byRes = new Map<number, ParentIndex>()))
  let index = byRes.get(res)
  if (!index) byRes.set(res, (index = parentIndex(surface.cells, res)))
  return index
}

/** Cell values per reach and request, so the tiles of one view do not recompute them. */
const valueCache = new WeakMap<object, Map<string, CellValues>>()

/**
 * The values of GET /api/hexes and the cells tiles for one metric at `res`, per cell. Every
 * figure comes from the resolution-10 analysis (FIGURE_RESOLUTION), summed into coarser cells
 * for drawing (api/domain/aggregate.ts): population (inhabitants), density (total,
 * meetingPlaces), distance (inhabitant-weighted mean distanceM, withinShare), gap (only cells
 * with inhabitants beyond the threshold: those inhabitants, their severity and mean distance)
 * and detour (mean detour and straightM). Absent values (no reachable place) are left out.
 */
export async function cellValues(
  analysis: Analysis,
  p: CellParams,
  res: number,
): Promise<CellValues> {
  const inBox = (lon: number, lat: number) => !p.bbox || bboxContains(p.bbox, [lon, lat])
  if (p.metric === 'density') {
    const counts = await analysis.density(res, {
      kinds: p.filter.kinds,
      statuses: p.filter.statuses,
    })
    const cells = [...counts.keys()]
      .filter((cell) => {
        const [lat, lon] = cellToLatLng(cell)
        return inBox(lon, lat)
      })
      .sort()
    return {
      res,
      cells,
      properties: cells.map((cell) => {
        const c = counts.get(cell)
        return { cell, res, total: c?.total ?? 0, meetingPlaces: c?.meetingPlaces ?? 0 }
      }),
    }
  }
  const result = await analysis.reachFor(FIGURE_RESOLUTION, p.mode, p.filter)
  const key = JSON.stringify([p.metric, p.thresholdM, res, p.bbox ?? null])
  let cached = valueCache.get(result)
  if (!cached) valueCache.set(result, (cached = new Map<string, CellValues>()))
  const hit = cached.get(key)
  if (hit) return hit
  const { surface, reach } = result
  const detour =
    p.metric === 'detour' ? await analysis.detourFor(FIGURE_RESOLUTION, p.mode, p.filter) : null
  const index = parentsOf(surface, Math.min(res, FIGURE_RESOLUTION))
  const agg = aggregate(
    index,
    surface.inhabitants,
    reach.nearest,
    p.thresholdM,
    detour ? { factors: detour.factors, straight: detour.line.nearest } : undefined,
  )
  // At the figures' own resolution a cell is one cell: its reason for having no route.
  const reasons =
    index.cells.length === surface.cells.length && isNetworkReach(reach) ? reach.unreachable : null
  const cells: string[] = []
  const properties: Record<string, TileValue>[] = []
  for (let i = 0; i < index.cells.length; i++) {
    const inhabitants = agg.inhabitants[i] as number
    if (!(inhabitants > 0)) continue
    if (p.metric === 'gap' && !((agg.gap[i] as number) > 0)) continue
    const cell = index.cells[i] as string
    const [lat, lon] = cellToLatLng(cell)
    if (!inBox(lon, lat)) continue
    const props: Record<string, TileValue> = {
      cell,
      res,
      inhabitants: round(p.metric === 'gap' ? (agg.gap[i] as number) : inhabitants, CELL_DECIMALS),
    }
    if (p.metric !== 'population') {
      // On the gap layer, the distance of the inhabitants beyond the threshold.
      const mean = (p.metric === 'gap' ? agg.meanGapDistanceM : agg.meanDistanceM)[i] as number
      if (!Number.isNaN(mean)) props['distanceM'] = Math.round(mean)
      props['withinShare'] = round((agg.within[i] as number) / inhabitants, 4)
      const unreachable = agg.unreachable[i] as number
      if (unreachable > 0) {
        props['unreachableInhabitants'] = round(unreachable, CELL_DECIMALS)
        const why = reasons ? UNREACHABLE_NAMES[reasons[i] as number] : null
        if (why) props['unreachable'] = why
      }
      if (p.metric === 'gap') {
        props['totalInhabitants'] = round(inhabitants, CELL_DECIMALS)
        props['severity'] = Math.round(agg.severity[i] as number)
      }
      if (detour) {
        const straight = agg.meanStraightM[i] as number
        if (!Number.isNaN(straight)) props['straightM'] = Math.round(straight)
        const factor = agg.meanDetour[i] as number
        if (!Number.isNaN(factor)) props['detour'] = round(factor, 3)
      }
    }
    cells.push(cell)
    properties.push(props)
  }
  const values = { res, cells, properties }
  cached.set(key, values)
  if (cached.size > 64) cached.delete(cached.keys().next().value as string)
  return values
}

/** Why a cell has no network distance, by the codes of `UNREACHABLE` (as GET /api/hexes). */
const UNREACHABLE_NAMES: readonly (string | null)[] = [null, 'no_path_nearby', 'no_place_reachable']

/** The cells of `values` that reach into tile `t` (with its buffer), clipped and snapped. */
export function cellFeatures(values: CellValues, t: TileAddress): TileFeature[] {
  const box = tileBox(t)
  const k = 1 / unitSize(t.z)
  const edge = getHexagonEdgeLengthAvg(values.res, UNITS.m)
  const features: TileFeature[] = []
  values.cells.forEach((cell, i) => {
    const [lat, lon] = cellToLatLng(cell)
    // A cell lies within two edge lengths of its centre; Mercator stretches that by 1/cos(lat).
    const reach = ((2 * edge) / Math.cos((lat * Math.PI) / 180)) * k + BUFFER
    const [cx, cy] = lonLatToMercator(lon, lat)
    const tx = (cx - box.minX) * k
    const ty = (box.maxY - cy) * k
    if (tx < -reach || tx > EXTENT + reach || ty < -reach || ty > EXTENT + reach) return
    const ring = cellToBoundary(cell).map(([la, lo]): [number, number] => {
      const [x, y] = lonLatToMercator(lo, la)
      return [(x - box.minX) * k, (box.maxY - y) * k]
    })
    const rings = polygonsToTileRings([[clipRing(ring, -BUFFER, EXTENT + BUFFER)]])
    if (rings.length > 0)
      features.push({ type: 'polygon', rings, properties: values.properties[i] ?? {} })
  })
  return features
}
