import {
  area as turfArea,
  bbox as turfBbox,
  bboxClip,
  featureCollection,
  intersect,
  polygon as turfPolygon,
} from '@turf/turf'
import {
  cellArea,
  cellToBoundary,
  cellToLatLng,
  cellToParent,
  latLngToCell,
  polygonToCellsExperimental,
  POLYGON_TO_CELLS_FLAGS,
} from 'h3-js'
import { lonLatToRd } from './geo.js'

/**
 * The population surface: inhabitants of statistical areas spread onto H3 cells.
 *
 * Method (areal weighting): an area's inhabitants are spread over the resolution-10 cells that
 * overlap it, in proportion to the overlapping surface (exact polygon intersection for cells on
 * the boundary, the whole cell inside). The shares of one area are rounded to whole inhabitants
 * by the largest-remainder method, so the cells of an area sum exactly to the area's count.
 * Coarser resolutions (7–9) sum their resolution-10 children, so a parent always holds exactly
 * what its children hold.
 */

/** The resolution shares are computed at; coarser resolutions aggregate it. */
export const BASE_RESOLUTION = 10
export const SURFACE_RESOLUTIONS = [7, 8, 9, 10] as const
export type SurfaceResolution = (typeof SURFACE_RESOLUTIONS)[number]

export interface AreaPopulation {
  readonly code: string
  readonly inhabitants: number
  /** GeoJSON Polygon or MultiPolygon, EPSG:4326. */
  readonly geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
}

/** One area's fractional share of one resolution-10 cell. */
export interface Share {
  readonly cell: string
  readonly area: string
  readonly inhabitants: number
}

/** Overlap (m²) of every resolution-10 cell that touches the polygon rings. */
function overlapWeights(rings: number[][][], weights: Map<string, number>): void {
  const overlapping = polygonToCellsExperimental(
    rings,
    BASE_RESOLUTION,
    POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
    true,
  )
  const inside = new Set(
    polygonToCellsExperimental(
      rings,
      BASE_RESOLUTION,
      POLYGON_TO_CELLS_FLAGS.containmentFull,
      true,
    ),
  )
  const shape = turfPolygon(rings)
  for (const cell of overlapping) {
    let m2: number
    if (inside.has(cell)) {
      m2 = cellArea(cell, 'm2')
    } else {
      const hex = turfPolygon([cellToBoundary(cell, true)])
      const clipped = bboxClip(shape, turfBbox(hex))
      if (clipped.geometry.coordinates.length === 0) continue
      const part = intersect(featureCollection([hex, clipped as typeof hex]))
      m2 = part ? turfArea(part) : 0
    }
    if (m2 > 0) weights.set(cell, (weights.get(cell) ?? 0) + m2)
  }
}

/**
 * Spreads each area's inhabitants over resolution-10 cells by overlapping surface. The shares of
 * an area sum to its count (up to floating point). An area too small to contain or overlap any
 * cell centre still gets the cell at its first vertex, so nobody is lost.
 */
export function spreadAreas(areas: readonly AreaPopulation[]): Share[] {
  const shares: Share[] = []
  for (const area of areas) {
    if (area.inhabitants <= 0) continue
    const polygons = (
      area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates
    ) as number[][][][]
    const weights = new Map<string, number>()
    for (const rings of polygons) overlapWeights(rings, weights)
    if (weights.size === 0) {
      const [lon, lat] = polygons[0]?.[0]?.[0] ?? [0, 0]
      weights.set(latLngToCell(lat as number, lon as number, BASE_RESOLUTION), 1)
    }
    let total = 0
    for (const w of weights.values()) total += w
    for (const [cell, w] of weights) {
      shares.push({ cell, area: area.code, inhabitants: (area.inhabitants * w) / total })
    }
  }
  return shares
}

/** FNV-1a hash of a string: a deterministic, well-spread tie-break key. */
export function hashKey(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * Rounds fractional amounts to integers that sum to `total`, by largest remainder. Remainders are
 * compared to 0.001: in a sparsely populated area every cell holds about the same fraction, and
 * tiny differences (cell areas vary slightly with latitude) would put all the rounded-up
 * inhabitants in one corner. Ties go by `tieKeys` (default: the index), so the result is
 * deterministic; pass a hash of the cell id to spread them evenly over the area.
 */
export function largestRemainder(
  amounts: readonly number[],
  total: number,
  tieKeys?: readonly number[],
): number[] {
  const floors = amounts.map((a) => Math.floor(a))
  let missing = total - floors.reduce((s, f) => s + f, 0)
  const order = amounts
    .map((a, i) => ({ i, r: Math.round((a - Math.floor(a)) * 1000), key: tieKeys?.[i] ?? i }))
    .sort((p, q) => q.r - p.r || p.key - q.key || p.i - q.i)
  for (let k = 0; missing > 0 && order.length > 0; k = (k + 1) % order.length, missing--) {
    const idx = order[k]?.i as number
    floors[idx] = (floors[idx] as number) + 1
  }
  return floors
}

/** A populated cell at one resolution. `x`/`y` in RD New metres, `lon`/`lat` in degrees. */
export interface SurfaceCell {
  readonly cell: string
  readonly inhabitants: number
  /** The populated centre: children's centres weighted by inhabitants (the cell centre at res 10). */
  readonly lon: number
  readonly lat: number
  readonly x: number
  readonly y: number
}

/** The whole inhabitants of one source area in one cell. */
export interface SurfacePortion {
  readonly cell: string
  readonly area: string
  readonly inhabitants: number
}

export interface Surface {
  readonly res: SurfaceResolution
  readonly cells: SurfaceCell[]
  readonly portions: SurfacePortion[]
}

/** Rounds the shares of each area to whole inhabitants at resolution 10 (largest remainder). */
function basePortions(
  shares: readonly Share[],
  areaTotals: ReadonlyMap<string, number>,
): SurfacePortion[] {
  const perArea = new Map<string, Map<string, number>>()
  for (const share of shares) {
    let cells = perArea.get(share.area)
    if (!cells) perArea.set(share.area, (cells = new Map<string, number>()))
    cells.set(share.cell, (cells.get(share.cell) ?? 0) + share.inhabitants)
  }
  const portions: SurfacePortion[] = []
  for (const [area, cells] of [...perArea].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ids = [...cells.keys()].sort()
    const rounded = largestRemainder(
      ids.map((id) => cells.get(id) as number),
      areaTotals.get(area) ?? 0,
      ids.map(hashKey),
    )
    ids.forEach((cell, i) => {
      const n = rounded[i] as number
      if (n > 0) portions.push({ cell, area, inhabitants: n })
    })
  }
  return portions
}

/**
 * The integer surface at every resolution 7–10. Resolution 10 rounds each area's shares by
 * largest remainder; a coarser cell holds exactly the sum of its resolution-10 children, so every
 * area keeps its count at every resolution and zooming never changes a total.
 */
export function surfaces(
  shares: readonly Share[],
  areaTotals: ReadonlyMap<string, number>,
): Surface[] {
  const base = basePortions(shares, areaTotals)
  return SURFACE_RESOLUTIONS.map((res) => {
    const byPortion = new Map<string, SurfacePortion>()
    const totals = new Map<string, number>()
    for (const p of base) {
      const cell = res === BASE_RESOLUTION ? p.cell : cellToParent(p.cell, res)
      const key = `${cell}|${p.area}`
      const prev = byPortion.get(key)
      byPortion.set(key, {
        cell,
        area: p.area,
        inhabitants: (prev?.inhabitants ?? 0) + p.inhabitants,
      })
      totals.set(cell, (totals.get(cell) ?? 0) + p.inhabitants)
    }
    // The populated centre: resolution-10 cell centres weighted by their (fractional) shares.
    const centre = new Map<string, { w: number; lon: number; lat: number }>()
    for (const share of shares) {
      const cell = res === BASE_RESOLUTION ? share.cell : cellToParent(share.cell, res)
      if (!totals.has(cell)) continue
      const [lat, lon] = cellToLatLng(share.cell)
      const c = centre.get(cell) ?? { w: 0, lon: 0, lat: 0 }
      c.w += share.inhabitants
      c.lon += lon * share.inhabitants
      c.lat += lat * share.inhabitants
      centre.set(cell, c)
    }
    const cells: SurfaceCell[] = [...totals.keys()].sort().map((cell) => {
      const c = centre.get(cell) as { w: number; lon: number; lat: number }
      const [clat, clon] = cellToLatLng(cell)
      const lon = res === BASE_RESOLUTION || c.w === 0 ? clon : c.lon / c.w
      const lat = res === BASE_RESOLUTION || c.w === 0 ? clat : c.lat / c.w
      const [x, y] = lonLatToRd(lon, lat)
      return { cell, inhabitants: totals.get(cell) as number, lon, lat, x, y }
    })
    const portions = [...byPortion.values()].sort((a, b) =>
      a.cell === b.cell ? (a.area < b.area ? -1 : 1) : a.cell < b.cell ? -1 : 1,
    )
    return { res, cells, portions }
  })
}
