import {
  cellArea,
  cellsToMultiPolygon,
  cellToBoundary,
  cellToLatLng,
  cellToLocalIj,
  getBaseCellNumber,
  getPentagons,
  getResolution,
  gridDisk,
  h3IndexToSplitLong,
  latLngToCell,
  type SplitLong,
} from 'h3-js'
import type { Bilingual, Lang } from './errors.js'
import type { LonLat } from './geo.js'

/**
 * Gap areas: neighbouring gap cells merged into connected areas, then measured, named and ranked
 * (DOMAIN.md, "How reach and gaps are measured": lists rank gap areas, not single cells).
 *
 * Two gap cells belong to the same gap area when they are H3 neighbours (they share an edge).
 * Sums run over the cells in H3 index order and over the parts of a cell in the order of their
 * codes, so the result does not depend on the order of the input rows, to the last bit.
 */

/** Inhabitants per km² that every cell of a gap area stays below for the area to be `sparse`. */
export const SPARSE_DENSITY_PER_KM2 = 500

/** A wijk at least this large (km²) gives every gap area in it a direction in its label. */
export const LARGE_WIJK_KM2 = 10

/**
 * A gap area whose point lies within this share of its wijk's equivalent radius (the radius of a
 * circle as large as the wijk) from the wijk's centre is "midden", not a compass direction.
 */
const CENTRE_SHARE = 0.2

/** Metres per degree of latitude (mean Earth radius 6,371.0088 km). */
const M_PER_DEGREE = 111_195

/** One gap cell, or one part of it, as a plain object (see {@link gapCellsFromRows}). */
export interface GapCellRow {
  /** H3 index, lowercase hexadecimal. */
  readonly h3: string
  /** Inhabitants of the cell (or of this part of it); fractional, ≥ 0. */
  readonly inhabitants: number
  /** Metres to the nearest counted place; Infinity when none can be reached. */
  readonly distanceM: number
  /** Codes of the areas the cell (part) lies in: CBS wijk and buurt codes, PC4 digits. */
  readonly wijk: string
  readonly buurt: string | null
  readonly pc4: string | null
}

/**
 * The gap cells of one area at one H3 resolution, column by column: cheap to build and scan, and
 * plain data a worker thread can receive. Row `r` is a cell or a part of one: a cell split between
 * areas (a buurt boundary runs through it) may appear in several rows, one per part, all with the
 * cell's distance; the cell's inhabitants are the sum of its rows.
 */
export interface GapCells {
  /** H3 index of each row (lowercase hexadecimal, all of one resolution). */
  readonly h3: readonly string[]
  /** Inhabitants of each row; fractional, finite, ≥ 0. */
  readonly inhabitants: Float64Array
  /** Metres to the nearest counted place, beyond the threshold; Infinity when unreachable. */
  readonly distanceM: Float64Array
  /** Index into `codes` of the row's wijk. */
  readonly wijk: Int32Array
  /** Index into `codes` of the row's buurt; -1 when unknown. */
  readonly buurt: Int32Array
  /** Index into `codes` of the row's PC4; -1 when unknown. */
  readonly pc4: Int32Array
  /** The distinct codes the rows refer to. */
  readonly codes: readonly string[]
}

/** Where a wijk lies, to say in which part of it a gap area is. */
export interface WijkShape {
  /** A point inside the wijk, [lon, lat] in degrees (EPSG:4326), e.g. its point on surface. */
  readonly centre: LonLat
  /** Its surface in km². */
  readonly areaKm2: number
}

export interface GapAreaContext {
  /** The threshold distance in metres: gap cells lie beyond it. */
  readonly thresholdM: number
  /** Names of wijken and buurten by CBS code; a code without a name is shown as the code. */
  readonly names: ReadonlyMap<string, string>
  /** Centre and size of the wijken by code; a gap area in a wijk missing here gets no direction. */
  readonly wijken: ReadonlyMap<string, WijkShape>
}

export interface GapAreaOptions {
  /** Return only the `limit` most severe gap areas (all are still found, counted and labelled). */
  readonly limit?: number
  /** Compute outlines (default true); for very large areas the costliest part. */
  readonly outlines?: boolean
  /** The density of the `sparse` rule (default {@link SPARSE_DENSITY_PER_KM2}). */
  readonly sparseDensityPerKm2?: number
  /** The size above which a wijk's gap areas always get a direction (default {@link LARGE_WIJK_KM2}). */
  readonly largeWijkKm2?: number
}

/** The inhabitants of a gap area who live in one wijk, buurt or PC4. */
export interface AreaShare {
  readonly code: string
  /** The CBS name; for a PC4, which has none, its four digits. */
  readonly name: string
  readonly inhabitants: number
}

/** The 16 compass points clockwise from north, in Dutch and English. */
const COMPASS = [
  ['N', 'noord', 'north'],
  ['NNE', 'noordnoordoost', 'north-northeast'],
  ['NE', 'noordoost', 'northeast'],
  ['ENE', 'oostnoordoost', 'east-northeast'],
  ['E', 'oost', 'east'],
  ['ESE', 'oostzuidoost', 'east-southeast'],
  ['SE', 'zuidoost', 'southeast'],
  ['SSE', 'zuidzuidoost', 'south-southeast'],
  ['S', 'zuid', 'south'],
  ['SSW', 'zuidzuidwest', 'south-southwest'],
  ['SW', 'zuidwest', 'southwest'],
  ['WSW', 'westzuidwest', 'west-southwest'],
  ['W', 'west', 'west'],
  ['WNW', 'westnoordwest', 'west-northwest'],
  ['NW', 'noordwest', 'northwest'],
  ['NNW', 'noordnoordwest', 'north-northwest'],
] as const

/** Compass direction of a gap area from its wijk's centre; `C`: near the centre ("midden"). */
export type Direction = 'C' | (typeof COMPASS)[number][0]

/** A GeoJSON MultiPolygon in WGS84 (RFC 7946: [lon, lat], exterior rings counter-clockwise). */
export interface MultiPolygon {
  readonly type: 'MultiPolygon'
  readonly coordinates: number[][][][]
}

export interface GapArea {
  /** The smallest H3 index among its cells: stable while the area keeps that cell. */
  readonly id: string
  /** Position among all gap areas of the input, 1 = most severe. */
  readonly rank: number
  /** Its H3 cells, in index order. */
  readonly cells: readonly string[]
  readonly cellCount: number
  /** Sum of the cells' inhabitants (fractional, unrounded). */
  readonly inhabitants: number
  /** Inhabitants of cells from which no counted place can be reached (these rank first). */
  readonly unreachableInhabitants: number
  readonly unreachableCells: number
  /** Σ inhabitants × metres beyond the threshold, over the cells that can reach a place. */
  readonly severity: number
  /** Nearest-place distance range (m) over the cells that can reach one; null when none can. */
  readonly distanceM: { readonly min: number; readonly max: number } | null
  /** Sum of the cells' areas (H3 cellArea), km². */
  readonly areaKm2: number
  readonly inhabitantsPerKm2: number
  /** Every cell holds fewer inhabitants per km² than the sparse density: farmland, not a street. */
  readonly sparse: boolean
  /**
   * The wijken, buurten and PC4s it lies in, most inhabitants first (ties by code). Inhabitants
   * of cells whose buurt or PC4 is unknown are in no entry of those lists.
   */
  readonly wijken: readonly AreaShare[]
  readonly buurten: readonly AreaShare[]
  readonly pc4: readonly AreaShare[]
  /** Its outline; null when outlines were not asked for. */
  readonly outline: MultiPolygon | null
  /** The inhabitant-weighted centre, [lon, lat]; the centre of its nearest cell when outside. */
  readonly point: LonLat
  /** The cell of the area that holds `point`. */
  readonly pointCell: string
  /** Where it lies in its main wijk, when its label says so. */
  readonly direction: Direction | null
  /** Unique among all gap areas of the input, e.g. "Wijk 05 Buitengebied Dronten, noordoost (8251)". */
  readonly label: Bilingual
}

export interface GapAreaResult {
  /** H3 resolution of the cells; null when there were none. */
  readonly res: number | null
  readonly thresholdM: number
  /** All gap areas, gap cells and their inhabitants, also those beyond `limit`. */
  readonly count: number
  readonly cellCount: number
  readonly inhabitants: number
  /** The most severe gap areas, most severe first (at most `limit`). */
  readonly areas: GapArea[]
}

/** What the ranking looks at. */
export type GapAreaRankKey = Pick<
  GapArea,
  'id' | 'unreachableInhabitants' | 'severity' | 'inhabitants'
>

/** Builds the columns of {@link GapCells} from plain rows; {@link gapAreas} validates them. */
export function gapCellsFromRows(rows: Iterable<GapCellRow>): GapCells {
  const list = [...rows]
  const codes: string[] = []
  const codeIndex = new Map<string, number>()
  const intern = (code: string | null) => {
    if (code === null) return -1
    let i = codeIndex.get(code)
    if (i === undefined) codeIndex.set(code, (i = codes.push(code) - 1))
    return i
  }
  const n = list.length
  const cells = {
    h3: list.map((r) => r.h3),
    inhabitants: new Float64Array(n),
    distanceM: new Float64Array(n),
    wijk: new Int32Array(n),
    buurt: new Int32Array(n),
    pc4: new Int32Array(n),
    codes,
  }
  list.forEach((r, i) => {
    cells.inhabitants[i] = r.inhabitants
    cells.distanceM[i] = r.distanceM
    cells.wijk[i] = intern(r.wijk)
    cells.buurt[i] = intern(r.buurt)
    cells.pc4[i] = intern(r.pc4)
  })
  return cells
}

/**
 * The ranking order, most severe first: more unreachable inhabitants, then more severity, then
 * more inhabitants, then the smaller id. Negative when `a` ranks before `b`.
 */
export function compareGapAreas(a: GapAreaRankKey, b: GapAreaRankKey): number {
  return (
    b.unreachableInhabitants - a.unreachableInhabitants ||
    b.severity - a.severity ||
    b.inhabitants - a.inhabitants ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

/**
 * The `k` most severe gap areas (default: all), most severe first ({@link compareGapAreas}).
 * For k well below the number of areas it keeps a bounded heap (n log k) instead of sorting all.
 */
export function rankGapAreas<T extends GapAreaRankKey>(areas: readonly T[], k = Infinity): T[] {
  if (!(k >= 0 && (Number.isInteger(k) || k === Infinity)))
    throw new RangeError(`k must be a whole number ≥ 0, got ${k}`)
  if (k >= areas.length / 4) return [...areas].sort(compareGapAreas).slice(0, k)
  // A heap whose root is the least severe of the k kept so far.
  const heap: T[] = []
  const at = (i: number) => heap[i] as T
  const lessSevere = (i: number, j: number) => compareGapAreas(at(i), at(j)) > 0
  const swap = (i: number, j: number) => {
    const t = at(i)
    heap[i] = at(j)
    heap[j] = t
  }
  for (const area of areas) {
    if (heap.length < k) {
      let i = heap.push(area) - 1
      while (i > 0 && lessSevere(i, (i - 1) >> 1)) {
        swap(i, (i - 1) >> 1)
        i = (i - 1) >> 1
      }
    } else if (k > 0 && compareGapAreas(area, at(0)) < 0) {
      heap[0] = area
      for (let i = 0; ;) {
        const l = 2 * i + 1
        let m = i
        if (l < k && lessSevere(l, m)) m = l
        if (l + 1 < k && lessSevere(l + 1, m)) m = l + 1
        if (m === i) break
        swap(i, m)
        i = m
      }
    }
  }
  return heap.sort(compareGapAreas)
}

/**
 * For each gap area, the inhabitants of its cells farther than `beyondM` metres from the nearest
 * counted place, unreachable cells included: with `2 * thresholdM`, those "far beyond" reach.
 * `cells` is the table the areas were computed from; the result is parallel to `areas`.
 */
export function inhabitantsBeyond(
  areas: readonly Pick<GapArea, 'cells'>[],
  cells: GapCells,
  beyondM: number,
): Float64Array {
  const areaOf = new Map<string, number>()
  areas.forEach((area, a) => {
    for (const cell of area.cells) areaOf.set(cell, a)
  })
  const result = new Float64Array(areas.length)
  for (let r = 0; r < cells.h3.length; r++) {
    const a = areaOf.get(cells.h3[r] as string)
    if (a !== undefined && (cells.distanceM[r] as number) > beyondM)
      result[a] = (result[a] as number) + (cells.inhabitants[r] as number)
  }
  return result
}

/**
 * The gap areas of one area: its gap cells (one H3 resolution, each beyond `context.thresholdM`)
 * merged into connected areas of H3 neighbours, with inhabitants, severity, distances, surface,
 * names, outline (WGS84), point and a unique label; most severe first.
 *
 * - Severity is Σ inhabitants × metres beyond the threshold over the cells that can reach a
 *   place; inhabitants who cannot reach one are counted apart and rank first.
 * - `sparse`: every cell holds fewer than `sparseDensityPerKm2` inhabitants per km² (default
 *   500, a quarter of a Flevoland village's density; see the README's methods).
 * - The label names the main wijk (most inhabitants of the area); then, when the wijk is at least
 *   `largeWijkKm2` large or is the main wijk of more than one gap area, the direction of the area's
 *   point from the wijk's centre on 8 compass points ("midden" near the centre); then the main
 *   buurt (when known and not named as the wijk) and the main PC4. An area whose main wijk holds
 *   less than half of its inhabitants is named by that wijk and the number of other wijken it
 *   spans ("Kustwijk en 10 andere wijken"), without direction, buurt or PC4. Labels that would be
 *   equal get 16 compass points, then numbers in ranking order ("gebied 2").
 * - Ranking, points and labels cover all areas, so a label does not change with `limit`; name
 *   lists, surfaces, `sparse` and outlines are computed only for the areas returned.
 *
 * Cost, for 100,000 resolution-10 gap cells on one thread of a 2-core AMD EPYC: about 0.5 s
 * without outlines (of which connectivity 0.1 s); h3-js's cellsToMultiPolygon adds about 1 s for
 * one area of 100,000 cells, and cellArea about 0.15 s, both only for the areas returned.
 *
 * Fails with a RangeError on rows that are not gap cells (distance within the threshold or NaN,
 * inhabitants negative or not finite, H3 indexes invalid or of mixed resolutions, the parts of a
 * cell at different distances). Assumes the cells do not cross the antimeridian.
 */
export function gapAreas(
  input: GapCells,
  context: GapAreaContext,
  options: GapAreaOptions = {},
): GapAreaResult {
  const { thresholdM } = context
  if (!(thresholdM >= 0 && thresholdM < Infinity))
    throw new RangeError(`thresholdM must be finite and ≥ 0, got ${thresholdM}`)
  const cells = cellTable(input, thresholdM)
  const areas = measure(cells, components(cells), thresholdM)
  const keys = Array.from({ length: areas.count }, (_, a) => ({
    area: a,
    id: cells.h3[areas.firstCell[a] as number] as string,
    unreachableInhabitants: areas.unreachable[a] as number,
    severity: areas.severity[a] as number,
    inhabitants: areas.people[a] as number,
  }))
  const top = rankGapAreas(keys, options.limit ?? Infinity)
  const tallies = {
    wijk: tally(cells, areas, input.wijk, input),
    buurt: tally(cells, areas, input.buurt, input),
    pc4: tally(cells, areas, input.pc4, input),
  }
  const nameOf = (code: string) => context.names.get(code) ?? code
  const labels = labelAreas(input.codes, areas, tallies, context, options, nameOf, keys)

  const position = new Int32Array(areas.count).fill(-1)
  top.forEach((key, i) => (position[key.area] = i))
  const shares = (sums: Map<number, number>, asName: (code: string) => string) =>
    shareLists(sums, input.codes, position, top.length, asName)
  const wijken = shares(tallies.wijk, nameOf)
  const buurten = shares(tallies.buurt, nameOf)
  const pc4 = shares(tallies.pc4, (code) => code)
  const sparseDensity = options.sparseDensityPerKm2 ?? SPARSE_DENSITY_PER_KM2
  return {
    res: cells.h3.length > 0 ? cells.res : null,
    thresholdM,
    count: areas.count,
    cellCount: cells.h3.length,
    inhabitants: areas.people.reduce((sum, p) => sum + p, 0),
    areas: top.map(({ area: a, id }, i): GapArea => {
      const members = areas.cellList.subarray(areas.cellStart[a], areas.cellStart[a + 1])
      const h3 = Array.from(members, (c) => cells.h3[c] as string)
      let areaKm2 = 0
      let sparse = true
      for (const c of members) {
        const km2 = cellArea(cells.long[c] as SplitLong, 'km2')
        areaKm2 += km2
        if ((cells.inhabitants[c] as number) / km2 >= sparseDensity) sparse = false
      }
      const people = areas.people[a] as number
      const unreachableCells = areas.unreachableCells[a] as number
      return {
        id,
        rank: i + 1,
        cells: h3,
        cellCount: members.length,
        inhabitants: people,
        unreachableInhabitants: areas.unreachable[a] as number,
        unreachableCells,
        severity: areas.severity[a] as number,
        distanceM:
          unreachableCells < members.length
            ? { min: areas.minD[a] as number, max: areas.maxD[a] as number }
            : null,
        areaKm2,
        inhabitantsPerKm2: people / areaKm2,
        sparse,
        wijken: wijken[i] as AreaShare[],
        buurten: buurten[i] as AreaShare[],
        pc4: pc4[i] as AreaShare[],
        outline: options.outlines === false ? null : outline(h3),
        point: [areas.pointLon[a] as number, areas.pointLat[a] as number],
        pointCell: cells.h3[areas.pointCell[a] as number] as string,
        direction: labels.direction[a] ?? null,
        label: labels.text[a] as Bilingual,
      }
    }),
  }
}

/** The gap cells in H3 index order with their rows (CSR), validated. */
interface CellTable {
  readonly res: number
  readonly h3: readonly string[]
  /** The same indexes as [lower, upper] 32-bit halves, so h3-js need not parse them again. */
  readonly long: readonly SplitLong[]
  /** The cell of an H3 index; -1 when it is not a gap cell. */
  readonly indexOf: (h3: string) => number
  /** Rows of cell c: rows[rowStart[c] … rowStart[c + 1]), in the order of their codes. */
  readonly rowStart: Int32Array
  readonly rows: Int32Array
  readonly inhabitants: Float64Array
  readonly distanceM: Float64Array
}

const H3_TEXT = /^[0-9a-f]{15}$/

function fail(row: number, message: string): never {
  throw new RangeError(`gap cell row ${row}: ${message}`)
}

/** Validates the rows and merges them per cell, in H3 index order (what makes sums canonical). */
function cellTable(input: GapCells, thresholdM: number): CellTable {
  const n = input.h3.length
  const { codes } = input
  for (const column of ['inhabitants', 'distanceM', 'wijk', 'buurt', 'pc4'] as const) {
    if (input[column].length !== n)
      throw new RangeError(`gap cells: ${column} has ${input[column].length} rows, h3 has ${n}`)
  }
  if (new Set(codes).size !== codes.length) throw new RangeError('gap cells: codes repeat')
  // Cells numbered as first seen, then renumbered in index order.
  const seen = new Map<string, number>()
  const firstRow: number[] = []
  const seenLong: SplitLong[] = []
  const seenOfRow = new Int32Array(n)
  let res = -1
  for (let r = 0; r < n; r++) {
    const h = input.h3[r] as string
    const people = input.inhabitants[r] as number
    const d = input.distanceM[r] as number
    let id = seen.get(h)
    if (id === undefined) {
      const long = h3IndexToSplitLong(h)
      const cellRes = H3_TEXT.test(h) ? getResolution(long) : -1
      if (cellRes < 0) fail(r, `${h} is not a lowercase H3 cell index`)
      if (res === -1) res = cellRes
      else if (cellRes !== res) fail(r, `${h} is resolution ${cellRes}, not ${res}`)
      seen.set(h, (id = firstRow.push(r) - 1))
      seenLong.push(long)
    } else if (input.distanceM[firstRow[id] as number] !== d) {
      fail(r, `the parts of cell ${h} have different distances`)
    }
    seenOfRow[r] = id
    if (!(people >= 0 && people < Infinity)) fail(r, `inhabitants ${people} is not finite and ≥ 0`)
    if (!(d > thresholdM)) fail(r, `distance ${d} m is not beyond the threshold ${thresholdM} m`)
    const w = input.wijk[r] as number
    const b = input.buurt[r] as number
    const p = input.pc4[r] as number
    if (!(w >= 0 && w < codes.length)) fail(r, 'wijk is not an index into codes')
    if (!(b >= -1 && b < codes.length)) fail(r, 'buurt is not an index into codes or -1')
    if (!(p >= -1 && p < codes.length)) fail(r, 'pc4 is not an index into codes or -1')
  }

  // Index order is the order of the 64-bit numbers (and of the equal-length hex strings).
  const upper = Float64Array.from(seenLong, (long) => long[1])
  const lower = Float64Array.from(seenLong, (long) => long[0])
  const order = Int32Array.from(firstRow.keys()).sort(
    (a, b) =>
      (upper[a] as number) - (upper[b] as number) || (lower[a] as number) - (lower[b] as number),
  )
  const m = order.length
  const cellOfSeen = new Int32Array(m)
  order.forEach((id, c) => (cellOfSeen[id] = c))
  const rowStart = new Int32Array(m + 1)
  for (let r = 0; r < n; r++) {
    const c = cellOfSeen[seenOfRow[r] as number] as number
    rowStart[c + 1] = (rowStart[c + 1] as number) + 1
  }
  for (let c = 0; c < m; c++)
    rowStart[c + 1] = (rowStart[c + 1] as number) + (rowStart[c] as number)
  const rows = new Int32Array(n)
  const next = rowStart.slice(0, m)
  for (let r = 0; r < n; r++)
    rows[(next[cellOfSeen[seenOfRow[r] as number] as number] as number)++] = r

  const byCode = (column: Int32Array, a: number, b: number) => {
    const x = column[a] as number
    const y = column[b] as number
    if (x === y) return 0
    return x < 0 ? -1 : y < 0 ? 1 : (codes[x] as string) < (codes[y] as string) ? -1 : 1
  }
  const rowOrder = (a: number, b: number) =>
    byCode(input.wijk, a, b) ||
    byCode(input.buurt, a, b) ||
    byCode(input.pc4, a, b) ||
    (input.inhabitants[a] as number) - (input.inhabitants[b] as number)
  const inhabitants = new Float64Array(m)
  const distanceM = new Float64Array(m)
  for (let c = 0; c < m; c++) {
    const from = rowStart[c] as number
    const to = rowStart[c + 1] as number
    if (to - from > 1) rows.subarray(from, to).sort(rowOrder)
    let sum = 0
    for (let i = from; i < to; i++) sum += input.inhabitants[rows[i] as number] as number
    inhabitants[c] = sum
    distanceM[c] = input.distanceM[rows[from] as number] as number
  }
  return {
    res,
    h3: Array.from(order, (id) => input.h3[firstRow[id] as number] as string),
    long: Array.from(order, (id) => seenLong[id] as SplitLong),
    indexOf: (h) => {
      const id = seen.get(h)
      return id === undefined ? -1 : (cellOfSeen[id] as number)
    },
    rowStart,
    rows,
    inhabitants,
    distanceM,
  }
}

const PENTAGON_BASE_CELLS = new Set(getPentagons(0).map(getBaseCellNumber))

/**
 * Local IJ coordinates of every cell relative to the first, as [i0, j0, i1, j1, …]; null when the
 * cells do not fit one planar frame (too far apart, or in a pentagon's base cell), where
 * {@link components} falls back to gridDisk. In such a frame the six neighbours of (i, j) are
 * (i ± 1, j), (i, j ± 1) and (i ± 1, j ± 1) with equal signs, as H3's gridDistance assumes.
 */
function localIj(long: readonly SplitLong[]): Int32Array | null {
  const ij = new Int32Array(2 * long.length)
  const origin = long[0] as SplitLong
  for (let c = 0; c < long.length; c++) {
    const cell = long[c] as SplitLong
    if (PENTAGON_BASE_CELLS.has(getBaseCellNumber(cell))) return null
    let coords: { i: number; j: number }
    try {
      coords = cellToLocalIj(origin, cell)
    } catch {
      return null
    }
    ij[2 * c] = coords.i
    ij[2 * c + 1] = coords.j
  }
  return ij
}

/** An open-addressing hash of the cells by (i, j); null when two cells share a coordinate. */
function ijLookup(ij: Int32Array): ((i: number, j: number) => number) | null {
  const n = ij.length / 2
  let size = 2
  while (size < 2 * n) size *= 2
  const mask = size - 1
  const slots = new Int32Array(size).fill(-1)
  const slotOf = (i: number, j: number) => {
    let s = (Math.imul(i, 0x9e3779b1) ^ Math.imul(j, 0x85ebca77)) & mask
    for (;;) {
      const c = slots[s] as number
      if (c < 0 || (ij[2 * c] === i && ij[2 * c + 1] === j)) return s
      s = (s + 1) & mask
    }
  }
  for (let c = 0; c < n; c++) {
    const s = slotOf(ij[2 * c] as number, ij[2 * c + 1] as number)
    if ((slots[s] as number) >= 0) return null
    slots[s] = c
  }
  return (i, j) => slots[slotOf(i, j)] as number
}

/**
 * Connected components under H3 neighbourhood: union–find over local IJ coordinates (gridDisk
 * when the cells have none). Areas are numbered in the order of their smallest cell, their id.
 */
function components(cells: CellTable): { areaOf: Int32Array; firstCell: Int32Array } {
  const n = cells.h3.length
  const parent = Int32Array.from({ length: n }, (_, c) => c)
  const find = (c: number) => {
    while (parent[c] !== c) {
      const up = parent[parent[c] as number] as number
      parent[c] = up
      c = up
    }
    return c
  }
  // The smaller root wins, so each root is its component's smallest cell.
  const union = (c: number, d: number) => {
    const rc = find(c)
    const rd = find(d)
    if (rc < rd) parent[rd] = rc
    else if (rd < rc) parent[rc] = rd
  }
  const ij = n > 0 ? localIj(cells.long) : null
  const at = ij && ijLookup(ij)
  if (ij && at) {
    for (let c = 0; c < n; c++) {
      const i = ij[2 * c] as number
      const j = ij[2 * c + 1] as number
      // Each neighbouring pair once: the other three directions are seen from the other cell.
      let d = at(i + 1, j)
      if (d >= 0) union(c, d)
      d = at(i, j + 1)
      if (d >= 0) union(c, d)
      d = at(i + 1, j + 1)
      if (d >= 0) union(c, d)
    }
  } else {
    for (let c = 0; c < n; c++) {
      for (const neighbour of gridDisk(cells.long[c] as SplitLong, 1)) {
        const d = cells.indexOf(neighbour)
        if (d > c) union(c, d)
      }
    }
  }
  const areaOf = new Int32Array(n)
  const first: number[] = []
  for (let c = 0; c < n; c++) {
    const root = find(c)
    areaOf[c] = root === c ? first.push(c) - 1 : (areaOf[root] as number)
  }
  return { areaOf, firstCell: Int32Array.from(first) }
}

/** Per-area sums and points, in typed arrays indexed by area. */
interface AreaSums {
  readonly count: number
  readonly areaOf: Int32Array
  readonly firstCell: Int32Array
  /** Cells of area a: cellList[cellStart[a] … cellStart[a + 1]), in index order. */
  readonly cellStart: Int32Array
  readonly cellList: Int32Array
  readonly people: Float64Array
  readonly unreachable: Float64Array
  readonly unreachableCells: Int32Array
  readonly severity: Float64Array
  readonly minD: Float64Array
  readonly maxD: Float64Array
  readonly pointCell: Int32Array
  readonly pointLon: Float64Array
  readonly pointLat: Float64Array
}

function measure(
  cells: CellTable,
  { areaOf, firstCell }: { areaOf: Int32Array; firstCell: Int32Array },
  thresholdM: number,
): AreaSums {
  const n = cells.h3.length
  const count = firstCell.length
  const people = new Float64Array(count)
  const unreachable = new Float64Array(count)
  const unreachableCells = new Int32Array(count)
  const severity = new Float64Array(count)
  const minD = new Float64Array(count).fill(Infinity)
  const maxD = new Float64Array(count).fill(-Infinity)
  const cellStart = new Int32Array(count + 1)
  const sumLon = new Float64Array(count)
  const sumLat = new Float64Array(count)
  const lons = new Float64Array(n)
  const lats = new Float64Array(n)
  for (let c = 0; c < n; c++) {
    const a = areaOf[c] as number
    const p = cells.inhabitants[c] as number
    const d = cells.distanceM[c] as number
    const [lat, lon] = cellToLatLng(cells.long[c] as SplitLong)
    lons[c] = lon
    lats[c] = lat
    cellStart[a + 1] = (cellStart[a + 1] as number) + 1
    people[a] = (people[a] as number) + p
    sumLon[a] = (sumLon[a] as number) + p * lon
    sumLat[a] = (sumLat[a] as number) + p * lat
    if (d === Infinity) {
      unreachable[a] = (unreachable[a] as number) + p
      unreachableCells[a] = (unreachableCells[a] as number) + 1
    } else {
      severity[a] = (severity[a] as number) + p * (d - thresholdM)
      if (d < (minD[a] as number)) minD[a] = d
      if (d > (maxD[a] as number)) maxD[a] = d
    }
  }
  for (let a = 0; a < count; a++)
    cellStart[a + 1] = (cellStart[a + 1] as number) + (cellStart[a] as number)
  const cellList = new Int32Array(n)
  const next = cellStart.slice(0, count)
  for (let c = 0; c < n; c++) cellList[(next[areaOf[c] as number] as number)++] = c

  // The point: the inhabitant-weighted centre (the plain centre without inhabitants), kept when
  // its cell belongs to the area, else moved to the centre of the area's nearest cell.
  const pointCell = new Int32Array(count)
  const pointLon = new Float64Array(count)
  const pointLat = new Float64Array(count)
  for (let a = 0; a < count; a++) {
    const from = cellStart[a] as number
    const to = cellStart[a + 1] as number
    let lon = 0
    let lat = 0
    let cell = -1
    if (to - from === 1) {
      cell = cellList[from] as number
    } else if ((people[a] as number) > 0) {
      lon = (sumLon[a] as number) / (people[a] as number)
      lat = (sumLat[a] as number) / (people[a] as number)
    } else {
      for (let i = from; i < to; i++) {
        lon += lons[cellList[i] as number] as number
        lat += lats[cellList[i] as number] as number
      }
      lon /= to - from
      lat /= to - from
    }
    if (cell < 0) {
      const inside = cells.indexOf(latLngToCell(lat, lon, cells.res))
      if (inside >= 0 && areaOf[inside] === a) {
        pointCell[a] = inside
        pointLon[a] = lon
        pointLat[a] = lat
        continue
      }
      const kx = Math.cos((lat * Math.PI) / 180)
      let best = Infinity
      for (let i = from; i < to; i++) {
        const c = cellList[i] as number
        const dist = (((lons[c] as number) - lon) * kx) ** 2 + ((lats[c] as number) - lat) ** 2
        if (dist < best) [best, cell] = [dist, c]
      }
    }
    pointCell[a] = cell
    pointLon[a] = lons[cell] as number
    pointLat[a] = lats[cell] as number
  }
  return {
    count,
    areaOf,
    firstCell,
    cellStart,
    cellList,
    people,
    unreachable,
    unreachableCells,
    severity,
    minD,
    maxD,
    pointCell,
    pointLon,
    pointLat,
  }
}

/** Inhabitants per (area, code) under the key `area × codes + code`, summed in row order. */
function tally(
  cells: CellTable,
  areas: AreaSums,
  column: Int32Array,
  input: GapCells,
): Map<number, number> {
  const nCodes = input.codes.length
  const sums = new Map<number, number>()
  for (let c = 0; c < cells.h3.length; c++) {
    const base = (areas.areaOf[c] as number) * nCodes
    for (let i = cells.rowStart[c] as number; i < (cells.rowStart[c + 1] as number); i++) {
      const r = cells.rows[i] as number
      const code = column[r] as number
      if (code >= 0)
        sums.set(base + code, (sums.get(base + code) ?? 0) + (input.inhabitants[r] as number))
    }
  }
  return sums
}

/** The code with the most inhabitants in each area (ties: the smaller code); -1 when none. */
function mainCodes(sums: Map<number, number>, count: number, codes: readonly string[]) {
  const main = new Int32Array(count).fill(-1)
  const most = new Float64Array(count).fill(-1)
  for (const [key, people] of sums) {
    const a = Math.floor(key / codes.length)
    const code = key - a * codes.length
    if (
      people > (most[a] as number) ||
      (people === most[a] && (codes[code] as string) < (codes[main[a] as number] as string))
    ) {
      main[a] = code
      most[a] = people
    }
  }
  return main
}

/** The share lists of the returned areas (`position` ≥ 0), most inhabitants first. */
function shareLists(
  sums: Map<number, number>,
  codes: readonly string[],
  position: Int32Array,
  returned: number,
  nameOf: (code: string) => string,
): AreaShare[][] {
  const lists = Array.from({ length: returned }, (): AreaShare[] => [])
  for (const [key, inhabitants] of sums) {
    const a = Math.floor(key / codes.length)
    const list = lists[position[a] as number]
    if (!list) continue
    const code = codes[key - a * codes.length] as string
    list.push({ code, name: nameOf(code), inhabitants })
  }
  for (const list of lists)
    list.sort((x, y) => y.inhabitants - x.inhabitants || (x.code < y.code ? -1 : 1))
  return lists
}

const DIRECTION_WORDS = new Map<Direction, Bilingual>([
  ['C', { nl: 'midden', en: 'centre' }],
  ...COMPASS.map(([d, nl, en]) => [d, { nl, en }] as const),
])
const AREA_WORD: Bilingual = { nl: 'gebied', en: 'area' }
const OTHER_WIJKEN = {
  nl: (n: number) => (n === 1 ? 'en 1 andere wijk' : `en ${n} andere wijken`),
  en: (n: number) => (n === 1 ? 'and 1 other district' : `and ${n} other districts`),
} as const

/** Direction of `point` from the wijk's centre, on 8 or 16 compass points, or `C` near it. */
function directionIn(wijk: WijkShape, point: LonLat, points: 8 | 16): Direction {
  const [lon0, lat0] = wijk.centre
  const dx = (point[0] - lon0) * Math.cos((((lat0 + point[1]) / 2) * Math.PI) / 180)
  const dy = point[1] - lat0
  const radiusM = Math.sqrt(Math.max(wijk.areaKm2, 0) / Math.PI) * 1000
  if (Math.hypot(dx, dy) * M_PER_DEGREE < CENTRE_SHARE * radiusM) return 'C'
  const degrees = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360
  const step = 16 / points
  return (COMPASS[(Math.round(degrees / (22.5 * step)) * step) % 16] as (typeof COMPASS)[number])[0]
}

interface LabelParts {
  readonly wijk: string
  /** How many other wijken the area spans when the main wijk holds less than half its people. */
  readonly otherWijken: number
  direction: Direction | null
  readonly buurt: string | null
  readonly pc4: string | null
  /** 0: none. */
  number: number
  id: string | null
}

function labelText(p: LabelParts, lang: Lang): string {
  let text = p.wijk
  if (p.otherWijken > 0) text += ` ${OTHER_WIJKEN[lang](p.otherWijken)}`
  if (p.direction) text += `, ${(DIRECTION_WORDS.get(p.direction) as Bilingual)[lang]}`
  if (p.buurt) text += ` – ${p.buurt}`
  if (p.number > 0) text += `, ${AREA_WORD[lang]} ${p.number}`
  if (p.pc4) text += ` (${p.pc4})`
  if (p.id) text += ` [${p.id}]`
  return text
}

/** Groups of two or more areas with the same text, each in area order. */
function duplicates(texts: readonly string[]): number[][] {
  const groups = new Map<string, number[]>()
  texts.forEach((text, a) => {
    const group = groups.get(text)
    if (group) group.push(a)
    else groups.set(text, [a])
  })
  return [...groups.values()].filter((group) => group.length > 1)
}

/** Unique labels of all areas and the directions they use (see {@link gapAreas}). */
function labelAreas(
  codes: readonly string[],
  areas: AreaSums,
  tallies: { wijk: Map<number, number>; buurt: Map<number, number>; pc4: Map<number, number> },
  context: GapAreaContext,
  options: GapAreaOptions,
  nameOf: (code: string) => string,
  keys: readonly GapAreaRankKey[],
): { text: Bilingual[]; direction: (Direction | null)[] } {
  const key = (a: number) => keys[a] as GapAreaRankKey
  const { count } = areas
  const mainWijk = mainCodes(tallies.wijk, count, codes)
  const mainBuurt = mainCodes(tallies.buurt, count, codes)
  const mainPc4 = mainCodes(tallies.pc4, count, codes)
  const largeWijk = options.largeWijkKm2 ?? LARGE_WIJK_KM2
  const areasInWijk = new Int32Array(codes.length)
  for (const w of mainWijk) areasInWijk[w] = (areasInWijk[w] as number) + 1
  // Per area: the inhabitants in wijken, the main wijk's share of them, and how many wijken.
  const inWijken = new Float64Array(count)
  const inMainWijk = new Float64Array(count)
  const wijkCount = new Int32Array(count)
  for (const [key, people] of tallies.wijk) {
    const a = Math.floor(key / codes.length)
    if (!(people > 0)) continue
    inWijken[a] = (inWijken[a] as number) + people
    wijkCount[a] = (wijkCount[a] as number) + 1
    if (key - a * codes.length === mainWijk[a]) inMainWijk[a] = people
  }
  const shapeOf = (a: number) => context.wijken.get(codes[mainWijk[a] as number] as string)
  const pointOf = (a: number): LonLat => [areas.pointLon[a] as number, areas.pointLat[a] as number]

  const parts = Array.from({ length: count }, (_, a): LabelParts => {
    const wijk = nameOf(codes[mainWijk[a] as number] as string)
    const shape = shapeOf(a)
    const b = mainBuurt[a] as number
    const buurt = b < 0 ? null : nameOf(codes[b] as string)
    const p = mainPc4[a] as number
    // An area whose main wijk holds less than half its people is named by that wijk and how
    // many others it spans; a direction, buurt or postcode of the main wijk would mislead.
    const spread = (inMainWijk[a] as number) * 2 < (inWijken[a] as number)
    const directed =
      !spread &&
      shape !== undefined &&
      (shape.areaKm2 >= largeWijk || (areasInWijk[mainWijk[a] as number] as number) > 1)
    return {
      wijk,
      otherWijken: spread ? (wijkCount[a] as number) - 1 : 0,
      direction: directed ? directionIn(shape, pointOf(a), 8) : null,
      buurt: !spread && buurt !== null && buurt.toLowerCase() !== wijk.toLowerCase() ? buurt : null,
      pc4: spread || p < 0 ? null : (codes[p] as string),
      number: 0,
      id: null,
    }
  })
  const nl = parts.map((p) => labelText(p, 'nl'))
  let equal = duplicates(nl)
  for (const a of equal.flat()) {
    const p = parts[a] as LabelParts
    if (p.direction === null || p.direction === 'C') continue
    p.direction = directionIn(shapeOf(a) as WijkShape, pointOf(a), 16)
    nl[a] = labelText(p, 'nl')
  }
  if (equal.length > 0) equal = duplicates(nl)
  for (const group of equal) {
    group.sort((a, b) => compareGapAreas(key(a), key(b)))
    group.forEach((a, i) => {
      const p = parts[a] as LabelParts
      p.number = i + 1
      nl[a] = labelText(p, 'nl')
    })
  }
  // Only names that themselves read like a direction or a number can still be equal here.
  if (equal.length > 0) equal = duplicates(nl)
  equal.push(...duplicates(parts.map((p) => labelText(p, 'en'))))
  for (const a of equal.flat()) (parts[a] as LabelParts).id = key(a).id
  return {
    text: parts.map((p) => ({ nl: labelText(p, 'nl'), en: labelText(p, 'en') })),
    direction: parts.map((p) => p.direction),
  }
}

/** The outline of cells of one resolution as a GeoJSON MultiPolygon (WGS84). */
function outline(h3: readonly string[]): MultiPolygon {
  return {
    type: 'MultiPolygon',
    coordinates:
      h3.length === 1
        ? [[cellToBoundary(h3[0] as string, true)]]
        : cellsToMultiPolygon([...h3], true),
  }
}
