import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { fromVectorTileJs, type VectorTileFeatureLike } from '@maplibre/vt-pbf'
import { conflict } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'
import {
  EXTENT,
  assetShapes,
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
import type { Analysis } from './analysis.js'

/** No tile is larger than this or has more features; a denser tile takes a coarser form. */
export interface TileLimits {
  readonly maxBytes: number
  readonly maxFeatures: number
}
export const TILE_LIMITS: TileLimits = { maxBytes: 500 * 1024, maxFeatures: 20_000 }

/** An encoded tile and what it was made from. */
export interface Tile {
  readonly bytes: Uint8Array
  /** Strong entity tag: a hash of the bytes, so an unchanged tile keeps it across edits. */
  readonly etag: string
  /** The layer's data version the tile was read at; '' when unsure (then it is not cached). */
  readonly version: string
  readonly features: number
}

/** What a tile source makes its tiles with. */
export interface TileContext {
  /**
   * Where tiles are read (the read replica when there is one): the same database the analysis
   * engine reads, so the version of a hexagon metric is the version its figures come from.
   */
  readonly db: Database
  readonly backend: Backend
  readonly analysis: Analysis
  readonly limits: TileLimits
  /** The current data version of the tiles being made (as `TileRequest.version` gives it). */
  currentVersion(): Promise<string>
}

/**
 * One layer with its filters fixed: what `createTiles` needs to make, version and cache its
 * tiles. The tile sources (api/http/tile-sources.ts) make these from a request.
 */
export interface TileRequest {
  /** The layer and its filters: equal keys make equal tiles at equal versions. */
  readonly key: string
  /**
   * The data version the layer's tiles depend on, as a short text. An edit elsewhere leaves it,
   * and so every cached tile and URL of the layer, as it was.
   */
  version(v: DataVersion): string
  /** The tile at `t` in the finest form within the limits, with the version it was read at. */
  make(ctx: TileContext, t: TileAddress): Promise<Tile>
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

export const tileOf = (bytes: Uint8Array, features: number, version: string): Tile => ({
  bytes,
  etag: etagOf(bytes),
  version,
  features,
})

/** True when a tile of this size stays within the limits. */
export const fits = (limits: TileLimits, bytes: number, features: number) =>
  bytes <= limits.maxBytes && features <= limits.maxFeatures

export const tooDense = () => conflict(PROBLEM.tileTooDense)

/**
 * Assets: one point each from zoom 13, else (and when the points pass the limits) clusters on a
 * grid (`assetShapes`). On PostgreSQL one ST_AsMVT statement per form; on PGlite the same rows,
 * encoded here.
 */
export async function assetTile(ctx: TileContext, t: TileAddress, filter: AssetFilter) {
  for (const shape of assetShapes(t.z)) {
    if (ctx.backend === 'postgresql') {
      const made = await runTileQuery(ctx.db, postgresAssetTileSql(t, filter, shape))
      if (fits(ctx.limits, made.bytes.byteLength, made.features))
        return tileOf(made.bytes, made.features, String(made.version))
    } else {
      const rows = await assetTileRows(ctx.db, t, filter, shape)
      if (rows.features.length > ctx.limits.maxFeatures) continue
      const bytes = encodeTile('assets', rows.features)
      if (fits(ctx.limits, bytes.byteLength, rows.features.length))
        return tileOf(bytes, rows.features.length, String(rows.version))
    }
  }
  throw tooDense()
}

/** Area outlines at 4096 units per tile side, else coarser grids (1024, 256). */
export async function areaTile(ctx: TileContext, t: TileAddress, filter: AreaTileFilter) {
  for (const extent of [EXTENT, 1024, 256]) {
    if (ctx.backend === 'postgresql') {
      const made = await runTileQuery(ctx.db, postgresAreaTileSql(t, filter, extent))
      if (fits(ctx.limits, made.bytes.byteLength, made.features))
        return tileOf(made.bytes, made.features, String(made.version))
    } else {
      const read = await areaTileRows(ctx.db, t, filter, extent)
      const features = read.features.filter((f) => f.type !== 'polygon' || f.rings.length > 0)
      const bytes = encodeTile('areas', features, extent)
      if (fits(ctx.limits, bytes.byteLength, features.length))
        return tileOf(bytes, features.length, String(read.version))
    }
  }
  throw tooDense()
}

export interface TileDeps {
  readonly db: Database
  readonly backend: Backend
  readonly analysis: Analysis
  readonly limits?: TileLimits
  /** Bytes of encoded tiles kept in memory (default 64 MB; 0 keeps none). */
  readonly cacheBytes?: number | undefined
}

/**
 * Vector tiles of any source, with an in-process cache (least recently used first, bounded by
 * the bytes of the tiles) keyed on the layer's data version. A tile is read together with the
 * version it shows (one statement on PostgreSQL, one transaction on PGlite), so a cached tile
 * never mixes two versions. Caching repeated tiles across processes and clients is the job of
 * the HTTP caches in front (the tiles carry Cache-Control and ETag).
 */
export function createTiles(deps: TileDeps) {
  const limits = deps.limits ?? TILE_LIMITS
  const cacheBytes = deps.cacheBytes ?? 64 * 1024 * 1024
  const cache =
    cacheBytes > 0
      ? new LRUCache<string, Tile>({
          maxSize: cacheBytes,
          // An empty tile still takes its place in memory.
          sizeCalculation: (tile) => Math.max(1, tile.bytes.byteLength),
        })
      : undefined
  const building = new Map<string, Promise<Tile>>()

  async function currentVersion(request: TileRequest): Promise<string> {
    return request.version(await dataVersion(deps.db))
  }

  const contextOf = (request: TileRequest): TileContext => ({
    db: deps.db,
    backend: deps.backend,
    analysis: deps.analysis,
    limits,
    currentVersion: () => currentVersion(request),
  })

  return {
    limits,
    currentVersion,

    /**
     * The tile at z/x/y. With `requested` (the `v` of a URL from the TileJSON) a cached tile of
     * that version answers without asking the database, and a miss costs one statement (the
     * version is read with the tile). Without it the current version is read first. Either way a
     * tile is made once per version: concurrent requests for it share the work.
     */
    async tile(request: TileRequest, t: TileAddress, requested?: string): Promise<Tile> {
      const base = `${request.key}|${t.z}/${t.x}/${t.y}`
      const version = requested ?? (await currentVersion(request))
      const key = `${base}|${version}`
      const hit = cache?.get(key)
      if (hit) return hit
      let pending = building.get(key)
      if (!pending) {
        pending = request.make(contextOf(request), t).then((tile) => {
          if (tile.version !== '') cache?.set(`${base}|${tile.version}`, tile)
          return tile
        })
        building.set(key, pending)
        const done = () => building.delete(key)
        pending.then(done, done)
      }
      return pending
    },

    /** How many tiles the cache holds (for tests and diagnostics). */
    cachedTiles: () => cache?.size ?? 0,
  }
}

export type Tiles = ReturnType<typeof createTiles>
