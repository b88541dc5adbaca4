import { bbox as turfBbox, bboxClip, polygon as turfPolygon } from '@turf/turf'
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

/** Boundary cells are grouped by their ancestor at this resolution, which clips the polygon once. */
const CLIP_RESOLUTION = 8

type Ring = number[][]

/** Twice the signed area of a ring in degrees², longitudes scaled by `kx` (shoelace). */
function signedArea2(ring: Ring, kx: number): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as number[]
    const b = ring[i] as number[]
    sum += (a[0] as number) * kx * (b[1] as number) - (b[0] as number) * kx * (a[1] as number)
  }
  return sum
}

/**
 * Sutherland–Hodgman: the part of `ring` inside the convex, counter-clockwise `clip`. Exact for
 * area even when `ring` is not convex (the result may have zero-width seams, which add no area).
 */
function clipToConvex(ring: Ring, clip: Ring): Ring {
  let output = ring
  for (let e = 0; e < clip.length && output.length > 0; e++) {
    const [ax, ay] = clip[e] as [number, number]
    const [bx, by] = clip[(e + 1) % clip.length] as [number, number]
    const side = (p: number[]) =>
      (bx - ax) * ((p[1] as number) - ay) - (by - ay) * ((p[0] as number) - ax)
    const input = output
    output = []
    for (let i = 0; i < input.length; i++) {
      const cur = input[i] as number[]
      const prev = input[(i + input.length - 1) % input.length] as number[]
      const sc = side(cur)
      const sp = side(prev)
      if (sc >= 0) {
        if (sp < 0) output.push(crossing(prev, cur, sp, sc))
        output.push(cur)
      } else if (sp >= 0) {
        output.push(crossing(prev, cur, sp, sc))
      }
    }
  }
  return output
}

function crossing(p: number[], q: number[], sp: number, sq: number): number[] {
  const t = sp / (sp - sq)
  return [
    (p[0] as number) + t * ((q[0] as number) - (p[0] as number)),
    (p[1] as number) + t * ((q[1] as number) - (p[1] as number)),
  ]
}

/** The open ring (no repeated closing vertex) of a cell, counter-clockwise. */
function cellRing(cell: string): Ring {
  const ring = cellToBoundary(cell, true).slice(0, -1)
  return signedArea2(ring, 1) < 0 ? ring.reverse() : ring
}

/**
 * Overlap (m²) of every resolution-10 cell that touches the polygon rings: the whole cell inside;
 * on the boundary, the share of the hexagon the polygon covers (outer ring minus holes, clipped
 * to the hexagon) times the cell's area. The polygon is first cut to the (padded) box of each
 * resolution-8 ancestor, so each boundary cell clips a small piece instead of the whole polygon.
 */
function overlapWeights(rings: Ring[], weights: Map<string, number>): void {
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
  const boundary = new Map<string, string[]>()
  for (const cell of overlapping) {
    if (inside.has(cell)) {
      weights.set(cell, (weights.get(cell) ?? 0) + cellArea(cell, 'm2'))
      continue
    }
    const parent = cellToParent(cell, CLIP_RESOLUTION)
    const group = boundary.get(parent)
    if (group) group.push(cell)
    else boundary.set(parent, [cell])
  }
  const shape = turfPolygon(rings)
  for (const [parent, cells] of boundary) {
    // Children reach a little beyond their parent's outline (H3 is not exactly nested): pad.
    const [w, south, e, n] = turfBbox(turfPolygon([cellToBoundary(parent, true)]))
    const padX = (e - w) * 0.25
    const padY = (n - south) * 0.25
    const piece = bboxClip(shape, [w - padX, south - padY, e + padX, n + padY]).geometry
      .coordinates as Ring[]
    if (piece.length === 0) continue
    const kx = Math.cos((((south + n) / 2) * Math.PI) / 180)
    for (const cell of cells) {
      const hex = cellRing(cell)
      let covered = 0
      piece.forEach((ring, r) => {
        if (ring.length < 3) return
        const part = Math.abs(signedArea2(clipToConvex(ring.slice(0, -1), hex), kx))
        covered += r === 0 ? part : -part
      })
      const share = Math.min(1, Math.max(0, covered / Math.abs(signedArea2(hex, kx))))
      if (share > 0) weights.set(cell, (weights.get(cell) ?? 0) + share * cellArea(cell, 'm2'))
    }
  }
}

/** Square metres of a (Multi)Polygon that each resolution-10 cell covers. */
export function cellOverlaps(geometry: AreaPopulation['geometry']): Map<string, number> {
  const polygons = (
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  ) as Ring[][]
  const weights = new Map<string, number>()
  for (const rings of polygons) overlapWeights(rings, weights)
  return weights
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
    const weights = cellOverlaps(area.geometry)
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
