import { cellToBoundary, cellToLatLng, getHexagonEdgeLengthAvg, UNITS } from 'h3-js'
import { bboxContains, type Bbox } from '../domain/geo.js'
import type { PlaceFilter } from '../domain/places.js'
import type { Mode } from '../domain/reach.js'
import { isNetworkReach } from '../domain/network/reach.js'
import { FIGURE_RESOLUTION } from '../domain/surface.js'
import { aggregate, parentIndex, type ParentIndex } from '../domain/aggregate.js'
import {
  BUFFER,
  EXTENT,
  cellResolution,
  clipRing,
  lonLatToMercator,
  polygonsToTileRings,
  tileBox,
  unitSize,
  type TileAddress,
  type TileFeature,
  type TileValue,
} from '../domain/tiles.js'
import type { Analysis } from './analysis.js'
import { encodeTile, fits, tileOf, tooDense, type Tile, type TileContext } from './tiles.js'

/** Hexagon metrics as tiles: the figures of GET /api/hexes, drawn on H3 cells. */

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

/**
 * Hexagons of a metric, encoded in TypeScript on both backends: the values come from the
 * in-memory analysis engine (the same figures as GET /api/hexes), not from SQL. The resolution
 * follows the zoom; a tile over the caps takes the next coarser one.
 */
export async function cellTile(ctx: TileContext, t: TileAddress, p: CellParams): Promise<Tile> {
  const start = p.res ?? cellResolution(t.z, p.metric)
  const lowest = p.metric === 'density' ? 6 : 7
  for (let res = start; res >= lowest; res--) {
    const before = await ctx.currentVersion()
    const values = await cellValues(ctx.analysis, p, res)
    const features = cellFeatures(values, t)
    const after = await ctx.currentVersion()
    if (features.length > ctx.limits.maxFeatures) continue
    const bytes = encodeTile('cells', features)
    if (!fits(ctx.limits, bytes.byteLength, features.length)) continue
    // An edit while computing: the figures may be of either version, so they are not cached.
    return tileOf(bytes, features.length, before === after ? after : '')
  }
  throw tooDense()
}

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
  // Without a bbox every cell is in: no centre to look up.
  const inBox = (cell: string) => {
    if (!p.bbox) return true
    const [lat, lon] = cellToLatLng(cell)
    return bboxContains(p.bbox, [lon, lat])
  }
  if (p.metric === 'density') {
    const counts = await analysis.density(res, {
      kinds: p.filter.kinds,
      statuses: p.filter.statuses,
    })
    const cells = [...counts.keys()].filter(inBox).sort()
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
    if (!inBox(cell)) continue
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

/**
 * Where the cells of one set of values lie: their centres in Web Mercator metres and how far a
 * cell reaches from its centre (two edge lengths, stretched by Mercator's 1/cos(lat)). Made once
 * per set of values: a tile then tests numbers instead of asking H3 for every cell of the province.
 */
interface CellCentres {
  readonly x: Float64Array
  readonly y: Float64Array
  readonly reachM: Float64Array
}
const centresCache = new WeakMap<CellValues, CellCentres>()
function centresOf(values: CellValues): CellCentres {
  let centres = centresCache.get(values)
  if (centres) return centres
  const n = values.cells.length
  const edge = getHexagonEdgeLengthAvg(values.res, UNITS.m)
  centres = { x: new Float64Array(n), y: new Float64Array(n), reachM: new Float64Array(n) }
  for (let i = 0; i < n; i++) {
    const [lat, lon] = cellToLatLng(values.cells[i] as string)
    const [x, y] = lonLatToMercator(lon, lat)
    centres.x[i] = x
    centres.y[i] = y
    centres.reachM[i] = (2 * edge) / Math.cos((lat * Math.PI) / 180)
  }
  centresCache.set(values, centres)
  return centres
}

/** The cells of `values` that reach into tile `t` (with its buffer), clipped and snapped. */
export function cellFeatures(values: CellValues, t: TileAddress): TileFeature[] {
  const box = tileBox(t)
  const k = 1 / unitSize(t.z)
  const centres = centresOf(values)
  const features: TileFeature[] = []
  for (let i = 0; i < values.cells.length; i++) {
    const reach = (centres.reachM[i] as number) * k + BUFFER
    const tx = ((centres.x[i] as number) - box.minX) * k
    const ty = (box.maxY - (centres.y[i] as number)) * k
    if (tx < -reach || tx > EXTENT + reach || ty < -reach || ty > EXTENT + reach) continue
    const ring = cellToBoundary(values.cells[i] as string).map(([la, lo]): [number, number] => {
      const [x, y] = lonLatToMercator(lo, la)
      return [(x - box.minX) * k, (box.maxY - y) * k]
    })
    const rings = polygonsToTileRings([[clipRing(ring, -BUFFER, EXTENT + BUFFER)]])
    if (rings.length > 0)
      features.push({ type: 'polygon', rings, properties: values.properties[i] ?? {} })
  }
  return features
}
