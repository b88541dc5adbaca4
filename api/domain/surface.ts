import { bbox as turfBbox } from '@turf/bbox'
import { bboxClip } from '@turf/bbox-clip'
import { polygon as turfPolygon } from '@turf/helpers'
import {
  cellArea,
  cellToBoundary,
  cellToChildren,
  cellToLatLng,
  cellToParent,
  gridDisk,
  latLngToCell,
  polygonToCellsExperimental,
  POLYGON_TO_CELLS_FLAGS,
} from 'h3-js'
import { lonLatToRd } from './geo.js'

/**
 * The population surface: inhabitants of statistical areas placed on H3 cells.
 *
 * Method (dasymetric weighting with control totals):
 * - The finest administrative level loaded (buurt, else wijk, else gemeente) gives the units.
 *   Each unit's own CBS count is placed on the resolution-10 cells that overlap its habitable
 *   land (exact polygon intersection for cells on the boundary, the whole cell inside), each
 *   cell weighted by the overlapping surface times the density of the finest ancillary layer
 *   that covers the unit (PC4 inhabitants per km² of land now; CBS 100 m squares or BAG
 *   addresses plug in as further layers), else by surface alone.
 * - Cells hold fractional inhabitants: nothing is rounded, so nobody is moved by rounding.
 * - Coarser resolutions (7–9) sum their resolution-10 children, so a parent always holds exactly
 *   what its children hold.
 * - Areas that do not nest in the administrative hierarchy (PC4) never decide where a person
 *   lives: they only weigh cells within a unit, and a cell's PC4 is the one covering most of it.
 * Pure: GeoJSON (EPSG:4326) in, plain data out.
 */

/** The resolution shares are computed at; coarser resolutions aggregate it. */
export const BASE_RESOLUTION = 10
/**
 * The resolution of every figure on every screen, report and endpoint unless a request asks for
 * another: maps zoomed out draw coarser hexagons that sum these cells (api/domain/aggregate.ts).
 */
export const FIGURE_RESOLUTION = 10
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

/**
 * Twice the signed area of a ring in degrees², longitudes scaled by `kx` (shoelace). Measured
 * from the ring's first vertex: with absolute coordinates (52° × 5°) the products cancel to a
 * relative error of about 1e-8 for a resolution-10 hexagon; relative to a vertex, about 1e-15.
 */
function signedArea2(ring: Ring, kx: number): number {
  const first = ring[0]
  if (!first) return 0
  const ox = first[0] as number
  const oy = first[1] as number
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as number[]
    const b = ring[i] as number[]
    sum +=
      ((a[0] as number) - ox) * ((b[1] as number) - oy) -
      ((b[0] as number) - ox) * ((a[1] as number) - oy)
  }
  return sum * kx
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
    const dx = bx - ax
    const dy = by - ay
    const input = output
    output = []
    let prev = input[input.length - 1] as number[]
    // Which side of the clip edge a point lies on: the cross product (inside when >= 0).
    let sp = dx * ((prev[1] as number) - ay) - dy * ((prev[0] as number) - ax)
    for (const cur of input) {
      const sc = dx * ((cur[1] as number) - ay) - dy * ((cur[0] as number) - ax)
      if (sc >= 0) {
        if (sp < 0) output.push(crossing(prev, cur, sp, sc))
        output.push(cur)
      } else if (sp >= 0) {
        output.push(crossing(prev, cur, sp, sc))
      }
      prev = cur
      sp = sc
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

type Box = [west: number, south: number, east: number, north: number]

/**
 * The box a group's resolution-10 cells lie in: its resolution-8 cell's box, padded, because
 * children reach a little beyond their parent's outline (H3 is not exactly nested).
 */
function groupBox(parent: string): Box {
  const [w, south, e, n] = turfBbox(turfPolygon([cellToBoundary(parent, true)]))
  const padX = (e - w) * 0.25
  const padY = (n - south) * 0.25
  return [w - padX, south - padY, e + padX, n + padY]
}

/** The part of `rings` (outer ring, then holes) inside `box`; rings left empty are dropped. */
function clipRings(rings: Ring[], box: Box): Ring[] {
  const clipped = bboxClip(turfPolygon(rings), box).geometry.coordinates as Ring[]
  return clipped.length > 0 && (clipped[0]?.length ?? 0) >= 4
    ? clipped.filter((ring) => ring.length >= 4)
    : []
}

/** Whether `piece` (clipped to `box`) covers all of it: outer ring minus holes is the box. */
function coversBox(piece: Ring[], box: Box): boolean {
  let covered = 0
  piece.forEach((ring, r) => {
    const a = Math.abs(signedArea2(ring, 1))
    covered += r === 0 ? a : -a
  })
  const boxArea2 = 2 * (box[2] - box[0]) * (box[3] - box[1])
  return covered >= boxArea2 * (1 - 1e-12)
}

/**
 * Shares of a hexagon this close to 0 or 1 are rounding in the clipping (about 1e-12 here), not
 * land: a touching neighbour is not overlapping, a hexagon inside is whole.
 */
const SHARE_NOISE = 1e-9

/** How many resolution-8 groups share one first cut of the polygon (their resolution-6 cell). */
const CUT_RESOLUTION = 6

/**
 * Overlap (m²) of every resolution-10 cell that touches the polygon rings: the whole cell inside;
 * on the boundary, the share of the hexagon the polygon covers (outer ring minus holes, clipped
 * to the hexagon) times the cell's area.
 *
 * The cells are visited in groups: the children of each resolution-8 cell near the polygon (those
 * it overlaps and their neighbours, whose padded boxes may reach it). The polygon is cut to each
 * group's box, first to the box of all groups of one resolution-6 cell, then to the group's, so
 * no step clips the whole polygon more than a few times. A group whose box the polygon covers has
 * all its cells inside; elsewhere each cell is clipped to the piece. Every resolution-10 cell has
 * one resolution-8 parent, so each is weighed once. (H3's own polygon-to-cells at resolution 10,
 * run twice, once for overlapping and once for contained cells, took two thirds of the time of
 * rebuilding the province's surface; on the real outlines the cells are the same.)
 */
function overlapWeights(rings: Ring[], weights: Map<string, number>): void {
  const near = new Set<string>()
  for (const cell of polygonToCellsExperimental(
    rings,
    CLIP_RESOLUTION,
    POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
    true,
  )) {
    for (const n of gridDisk(cell, 1)) near.add(n)
  }
  const cuts = new Map<string, { box: Box; groups: { parent: string; box: Box }[] }>()
  for (const parent of near) {
    const box = groupBox(parent)
    const key = cellToParent(parent, CUT_RESOLUTION)
    const cut = cuts.get(key)
    if (!cut) cuts.set(key, { box: [...box], groups: [{ parent, box }] })
    else {
      cut.box = [
        Math.min(cut.box[0], box[0]),
        Math.min(cut.box[1], box[1]),
        Math.max(cut.box[2], box[2]),
        Math.max(cut.box[3], box[3]),
      ]
      cut.groups.push({ parent, box })
    }
  }
  for (const cut of cuts.values()) {
    const first = clipRings(rings, cut.box)
    if (first.length === 0) continue
    for (const { parent, box } of cut.groups) {
      const piece = clipRings(first, box)
      if (piece.length === 0) continue
      const cells = cellToChildren(parent, BASE_RESOLUTION)
      if (coversBox(piece, box)) {
        for (const cell of cells) weights.set(cell, (weights.get(cell) ?? 0) + cellArea(cell, 'm2'))
        continue
      }
      const kx = Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180)
      for (const cell of cells) {
        const hex = cellRing(cell)
        let covered = 0
        piece.forEach((ring, r) => {
          const part = Math.abs(signedArea2(clipToConvex(ring.slice(0, -1), hex), kx))
          covered += r === 0 ? part : -part
        })
        const share = covered / Math.abs(signedArea2(hex, kx))
        if (share <= SHARE_NOISE) continue
        const m2 = share >= 1 - SHARE_NOISE ? cellArea(cell, 'm2') : share * cellArea(cell, 'm2')
        weights.set(cell, (weights.get(cell) ?? 0) + m2)
      }
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

/** One unit's fractional share of one resolution-10 cell, with the PC4 the cell lies in. */
export interface UnitShare {
  readonly cell: string
  readonly unit: string
  readonly pc4: string | null
  readonly inhabitants: number
}

/**
 * An ancillary layer: how densely each resolution-10 cell it covers is inhabited, relative to
 * other cells (inhabitants per m² of habitable land). Only ratios within a unit matter, so the
 * layer's own year and totals never change a unit's count.
 */
export interface DensityLayer {
  /** Short name: 'pc4' (CBS PC4 counts), later 'grid100' (CBS squares) or 'bag' (addresses). */
  readonly name: string
  readonly source: string
  readonly year: number | null
  readonly density: ReadonlyMap<string, number>
}

/** An area with a count and its (habitable) outline, for a density layer or as a unit. */
export interface CountedArea {
  readonly code: string
  readonly inhabitants: number
  /** GeoJSON Polygon or MultiPolygon, EPSG:4326. */
  readonly geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
}

/**
 * A density layer from areas with counts that do not nest in the units (PC4). Each cell is named
 * after the area that covers most of it. Without `units`, a cell's density is the
 * overlap-weighted mean of its areas' inhabitants per m². With `units` (the finest administrative
 * areas and their counts), an area's density is taken relative to what the units alone would put
 * on it: its count ÷ the units' counts spread over its cells by land area (one step of iterative
 * proportional fitting). So a PC4 that reaches from a dense town into a nature reserve in another
 * wijk does not carry the town's density into that wijk: within a unit, only how much more (or
 * less) populated one PC4 is than another, against the same units, weighs the cells.
 */
export function densityFromAreas(
  areas: readonly CountedArea[],
  meta: { name: string; source: string; year: number | null },
  units?: {
    readonly areas: readonly CountedArea[]
    readonly overlaps: ReadonlyMap<string, ReadonlyMap<string, number>>
  },
): { layer: DensityLayer; largest: Map<string, string> } {
  const num = new Map<string, number>()
  const den = new Map<string, number>()
  const best = new Map<string, { code: string; m2: number }>()
  const own = new Map<string, number>()
  for (const area of areas) {
    const overlaps = cellOverlaps(area.geometry)
    let total = 0
    for (const m2 of overlaps.values()) total += m2
    if (total <= 0) continue
    const density = Math.max(0, area.inhabitants) / total
    own.set(area.code, Math.max(0, area.inhabitants))
    for (const [cell, m2] of overlaps) {
      num.set(cell, (num.get(cell) ?? 0) + m2 * density)
      den.set(cell, (den.get(cell) ?? 0) + m2)
      const b = best.get(cell)
      if (!b || m2 > b.m2 || (m2 === b.m2 && area.code < b.code))
        best.set(cell, { code: area.code, m2 })
    }
  }
  const largest = new Map<string, string>()
  for (const [cell, b] of best) largest.set(cell, b.code)
  const density = new Map<string, number>()
  if (!units) {
    for (const [cell, d] of den) density.set(cell, (num.get(cell) as number) / d)
    return { layer: { ...meta, density }, largest }
  }
  // What the units alone (spread by land area) put on each area, via the cells it names.
  const expected = new Map<string, number>()
  for (const unit of units.areas) {
    const overlaps = units.overlaps.get(unit.code)
    if (!overlaps || unit.inhabitants <= 0) continue
    let total = 0
    for (const m2 of overlaps.values()) total += m2
    if (total <= 0) continue
    for (const [cell, m2] of overlaps) {
      const code = largest.get(cell)
      if (code) expected.set(code, (expected.get(code) ?? 0) + (unit.inhabitants * m2) / total)
    }
  }
  for (const [cell, code] of largest) {
    const e = expected.get(code) ?? 0
    density.set(cell, e > 0 ? (own.get(code) ?? 0) / e : 0)
  }
  return { layer: { ...meta, density }, largest }
}

/**
 * Places each unit's count on resolution-10 cells: weight = overlapping surface × the density
 * of the first layer (finest first) that gives the unit any weight; without one, surface alone.
 * The shares of a unit sum to its count (up to floating point). A unit too small to overlap any
 * cell still gets the cell at its first vertex, so nobody is lost. Returns which layer weighed
 * each unit (null: surface alone).
 */
export function dasymetricShares(
  units: readonly CountedArea[],
  layers: readonly DensityLayer[],
  pc4Of: ReadonlyMap<string, string> = new Map(),
  /** Each unit's cell overlaps, when already known (see `unitOverlaps`). */
  known?: ReadonlyMap<string, ReadonlyMap<string, number>>,
): { shares: UnitShare[]; layerOf: Map<string, string | null> } {
  const shares: UnitShare[] = []
  const layerOf = new Map<string, string | null>()
  for (const unit of units) {
    if (unit.inhabitants <= 0) continue
    const overlaps = new Map(known?.get(unit.code) ?? cellOverlaps(unit.geometry))
    if (overlaps.size === 0) {
      const polygons = (
        unit.geometry.type === 'Polygon' ? [unit.geometry.coordinates] : unit.geometry.coordinates
      ) as number[][][][]
      const [lon, lat] = polygons[0]?.[0]?.[0] ?? [0, 0]
      overlaps.set(latLngToCell(lat as number, lon as number, BASE_RESOLUTION), 1)
    }
    let weights: Map<string, number> | undefined
    let used: string | null = null
    for (const layer of layers) {
      const w = new Map<string, number>()
      let sum = 0
      for (const [cell, m2] of overlaps) {
        const v = m2 * (layer.density.get(cell) ?? 0)
        if (v > 0) {
          w.set(cell, v)
          sum += v
        }
      }
      if (sum > 0) {
        weights = w
        used = layer.name
        break
      }
    }
    weights ??= overlaps
    layerOf.set(unit.code, used)
    let total = 0
    for (const v of weights.values()) total += v
    for (const cell of [...weights.keys()].sort()) {
      shares.push({
        cell,
        unit: unit.code,
        pc4: pc4Of.get(cell) ?? null,
        inhabitants: (unit.inhabitants * (weights.get(cell) as number)) / total,
      })
    }
  }
  return { shares, layerOf }
}

/** Each unit's overlap (m²) with every resolution-10 cell, computed once for all layers. */
export function unitOverlaps(units: readonly CountedArea[]): Map<string, Map<string, number>> {
  return new Map(units.map((u) => [u.code, cellOverlaps(u.geometry)]))
}

/** A populated cell at one resolution. `x`/`y` in RD New metres, `lon`/`lat` in degrees. */
export interface SurfaceCell {
  readonly cell: string
  /** Fractional inhabitants. */
  readonly inhabitants: number
  /** The populated centre: children's centres weighted by inhabitants (the cell centre at res 10). */
  readonly lon: number
  readonly lat: number
  readonly x: number
  readonly y: number
}

/** The inhabitants of one unit in one cell (and one PC4). */
export interface SurfacePortion {
  readonly cell: string
  readonly unit: string
  readonly pc4: string | null
  readonly inhabitants: number
}

export interface Surface {
  readonly res: SurfaceResolution
  readonly cells: SurfaceCell[]
  readonly portions: SurfacePortion[]
}

/**
 * The surface at every resolution 7–10 from resolution-10 unit shares. A coarser cell holds
 * exactly the sum of its resolution-10 children, so every area keeps its total at every
 * resolution and zooming never changes a figure.
 */
export function surfaces(shares: readonly UnitShare[]): Surface[] {
  return SURFACE_RESOLUTIONS.map((res) => {
    const byPortion = new Map<
      string,
      { cell: string; unit: string; pc4: string | null; n: number }
    >()
    const totals = new Map<string, number>()
    const centre = new Map<string, { lon: number; lat: number }>()
    for (const share of shares) {
      if (!(share.inhabitants > 0)) continue
      const cell = res === BASE_RESOLUTION ? share.cell : cellToParent(share.cell, res)
      const key = `${cell}|${share.unit}|${share.pc4 ?? ''}`
      const prev = byPortion.get(key)
      if (prev) prev.n += share.inhabitants
      else byPortion.set(key, { cell, unit: share.unit, pc4: share.pc4, n: share.inhabitants })
      totals.set(cell, (totals.get(cell) ?? 0) + share.inhabitants)
      if (res !== BASE_RESOLUTION) {
        // The populated centre: resolution-10 cell centres weighted by their inhabitants.
        const [lat, lon] = cellToLatLng(share.cell)
        const c = centre.get(cell) ?? { lon: 0, lat: 0 }
        c.lon += lon * share.inhabitants
        c.lat += lat * share.inhabitants
        centre.set(cell, c)
      }
    }
    const cells: SurfaceCell[] = [...totals.keys()].sort().map((cell) => {
      const n = totals.get(cell) as number
      const c = centre.get(cell)
      const [clat, clon] = cellToLatLng(cell)
      const lon = c ? c.lon / n : clon
      const lat = c ? c.lat / n : clat
      const [x, y] = lonLatToRd(lon, lat)
      return { cell, inhabitants: n, lon, lat, x, y }
    })
    const portions = [...byPortion.values()]
      .map((p) => ({ cell: p.cell, unit: p.unit, pc4: p.pc4, inhabitants: p.n }))
      .sort((a, b) =>
        a.cell !== b.cell
          ? a.cell < b.cell
            ? -1
            : 1
          : a.unit !== b.unit
            ? a.unit < b.unit
              ? -1
              : 1
            : (a.pc4 ?? '') < (b.pc4 ?? '')
              ? -1
              : 1,
      )
    return { res, cells, portions }
  })
}
