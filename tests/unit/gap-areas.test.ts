import { booleanPointInPolygon, booleanValid, multiPolygon, point } from '@turf/turf'
import fc from 'fast-check'
import {
  cellArea,
  cellToLatLng,
  getBaseCellNumber,
  getPentagons,
  gridDisk,
  gridRing,
  latLngToCell,
  localIjToCell,
} from 'h3-js'
import { describe, expect, it } from 'vitest'
import {
  compareGapAreas,
  gapAreas,
  gapCellsFromRows,
  inhabitantsBeyond,
  rankGapAreas,
  type GapAreaContext,
  type GapCellRow,
  type WijkShape,
} from '../../api/domain/gap-areas.js'
import type { LonLat } from '../../api/domain/geo.js'

const RES = 10
const THRESHOLD_M = 800

/** Cells by local IJ coordinates around a point in Dronten: (i, 0), (i + 1, 0) are neighbours. */
const ORIGIN = latLngToCell(52.52, 5.72, RES)
const at = (i: number, j = 0) => localIjToCell(ORIGIN, { i, j })

/** The cell `metres` from `from` in the compass direction `bearing` (degrees from north). */
function cellFrom(from: LonLat, bearing: number, metres: number): string {
  const rad = (bearing * Math.PI) / 180
  const lat = from[1] + (metres * Math.cos(rad)) / 111_195
  const lon = from[0] + (metres * Math.sin(rad)) / (111_195 * Math.cos((from[1] * Math.PI) / 180))
  return latLngToCell(lat, lon, RES)
}

const lonLat = (cell: string): LonLat => {
  const [lat, lon] = cellToLatLng(cell)
  return [lon, lat]
}

const row = (
  h3: string,
  inhabitants: number,
  distanceM: number,
  wijk: string,
  buurt: string | null = null,
  pc4: string | null = '8251',
): GapCellRow => ({ h3, inhabitants, distanceM, wijk, buurt, pc4 })

function context(wijken: Record<string, WijkShape> = {}): GapAreaContext {
  return {
    thresholdM: THRESHOLD_M,
    names: new Map([
      ['WK030301', 'Wijk 01 Dronten'],
      ['WK030302', 'Wijk 02 Dronten-Oost'],
      ['WK030303', 'Wijk 03 Dronten-West'],
      ['WK030304', 'Wijk 04 Swifterbant'],
      ['WK030305', 'Wijk 05 Buitengebied Dronten'],
      ['BU03030101', 'Dronten-Noord'],
      ['BU03030102', 'Dronten-Zuid'],
    ]),
    wijken: new Map(Object.entries(wijken)),
  }
}

/**
 * A line of three neighbouring cells A–B–C in wijk 01 (B split over two buurten) and a cell D
 * six cells away in wijk 02. Each wijk is small and holds one gap area: no directions.
 */
const [A, B, C, D] = [at(0), at(1), at(2), at(8)] as [string, string, string, string]
const lineAndIsolated = [
  row(A, 10.5, 1000, 'WK030301', 'BU03030101', '8251'),
  row(B, 12.25, 1200, 'WK030301', 'BU03030101', '8251'),
  row(B, 8, 1200, 'WK030301', 'BU03030102', '8251'),
  row(C, 5, 900, 'WK030301', 'BU03030102', '8252'),
  row(D, 4.5, 2000, 'WK030302', null, '8253'),
]
const smallWijken = {
  WK030301: { centre: lonLat(B), areaKm2: 3 },
  WK030302: { centre: lonLat(D), areaKm2: 2 },
}

describe('gap areas: golden fixtures', () => {
  it('merges a line of three neighbouring cells and keeps an isolated cell apart', () => {
    const result = gapAreas(gapCellsFromRows(lineAndIsolated), context(smallWijken))
    expect(result).toMatchObject({ res: RES, count: 2, cellCount: 4, inhabitants: 40.25 })
    const [line, isolated] = result.areas
    // Line: 10.5 × 200 + 20.25 × 400 + 5 × 100 = 10,700; isolated: 4.5 × 1,200 = 5,400.
    expect(line).toMatchObject({
      id: [A, B, C].sort()[0],
      rank: 1,
      cells: [A, B, C].sort(),
      cellCount: 3,
      inhabitants: 35.75,
      unreachableInhabitants: 0,
      unreachableCells: 0,
      severity: 10_700,
      distanceM: { min: 900, max: 1200 },
    })
    expect(isolated).toMatchObject({
      id: D,
      rank: 2,
      cells: [D],
      inhabitants: 4.5,
      severity: 5400,
      distanceM: { min: 2000, max: 2000 },
    })
  })

  it('names every wijk, buurt and PC4 of an area by inhabitants, a split cell counted per part', () => {
    const [line, isolated] = gapAreas(gapCellsFromRows(lineAndIsolated), context(smallWijken)).areas
    expect(line?.wijken).toEqual([
      { code: 'WK030301', name: 'Wijk 01 Dronten', inhabitants: 35.75 },
    ])
    expect(line?.buurten).toEqual([
      { code: 'BU03030101', name: 'Dronten-Noord', inhabitants: 22.75 },
      { code: 'BU03030102', name: 'Dronten-Zuid', inhabitants: 13 },
    ])
    expect(line?.pc4).toEqual([
      { code: '8251', name: '8251', inhabitants: 30.75 },
      { code: '8252', name: '8252', inhabitants: 5 },
    ])
    expect(isolated?.buurten).toEqual([])
    expect(isolated?.pc4).toEqual([{ code: '8253', name: '8253', inhabitants: 4.5 }])
  })

  it('labels an area by its main wijk, buurt and PC4, without a direction in a small wijk', () => {
    const [line, isolated] = gapAreas(gapCellsFromRows(lineAndIsolated), context(smallWijken)).areas
    expect(line?.label).toEqual({
      nl: 'Wijk 01 Dronten – Dronten-Noord (8251)',
      en: 'Wijk 01 Dronten – Dronten-Noord (8251)',
    })
    expect(line?.direction).toBeNull()
    expect(isolated?.label.nl).toBe('Wijk 02 Dronten-Oost (8253)')
  })

  it('measures surface and density with H3 cell areas', () => {
    const [line] = gapAreas(gapCellsFromRows(lineAndIsolated), context(smallWijken)).areas
    const km2 = cellArea(A, 'km2') + cellArea(B, 'km2') + cellArea(C, 'km2')
    expect(line?.areaKm2).toBeCloseTo(km2, 12)
    expect(line?.inhabitantsPerKm2).toBeCloseTo(35.75 / km2, 9)
  })

  it('counts the inhabitants beyond twice the threshold per area', () => {
    const cells = gapCellsFromRows(lineAndIsolated)
    const { areas } = gapAreas(cells, context(smallWijken))
    expect([...inhabitantsBeyond(areas, cells, 2 * THRESHOLD_M)]).toEqual([0, 4.5])
  })

  it('returns the top k with the labels and ranks they have in the full list', () => {
    const cells = gapCellsFromRows(lineAndIsolated)
    const full = gapAreas(cells, context(smallWijken))
    const top = gapAreas(cells, context(smallWijken), { limit: 1 })
    expect(top.count).toBe(2)
    expect(top.areas).toEqual(full.areas.slice(0, 1))
  })

  it('ranks unreachable inhabitants first, and gives a distance range only over reachable cells', () => {
    const rows = [
      row(at(0), 100, 5000, 'WK030301'),
      row(at(1), 100, 5000, 'WK030301'),
      row(at(10), 1, Infinity, 'WK030302'),
      row(at(20), 2, Infinity, 'WK030303'),
      row(at(21), 3, 1000, 'WK030303'),
    ]
    const areas = gapAreas(gapCellsFromRows(rows), context()).areas
    expect(areas.map((a) => [a.id, a.unreachableInhabitants, a.severity])).toEqual([
      [[at(20), at(21)].sort()[0], 2, 600],
      [at(10), 1, 0],
      [[at(0), at(1)].sort()[0], 0, 840_000],
    ])
    expect(areas.map((a) => a.distanceM)).toEqual([
      { min: 1000, max: 1000 },
      null,
      { min: 5000, max: 5000 },
    ])
    expect(areas[0]?.unreachableCells).toBe(1)
  })

  it('marks an area sparse only when every cell is below 500 inhabitants per km²', () => {
    // A res-10 cell is about 0.015 km²: 2.5 inhabitants ≈ 165/km², 60 ≈ 4,000/km².
    const farmland = [0, 1, 2, 3, 4].map((i) => row(at(i, 0), 2.5, 3000, 'WK030305'))
    const estate = [0, 1, 2].map((i) => row(at(i, 10), 60, 1200, 'WK030301'))
    const hamlet = [
      ...[0, 1, 2, 3].map((i) => row(at(i, 20), 2.5, 3000, 'WK030305')),
      row(at(4, 20), 60, 3000, 'WK030305'),
    ]
    const areas = gapAreas(gapCellsFromRows([...farmland, ...estate, ...hamlet]), context()).areas
    const sparse = new Map(areas.map((a) => [a.cells[0], a.sparse]))
    expect(sparse.get([...farmland].map((r) => r.h3).sort()[0])).toBe(true)
    expect(sparse.get([...estate].map((r) => r.h3).sort()[0])).toBe(false)
    expect(sparse.get([...hamlet].map((r) => r.h3).sort()[0])).toBe(false)
  })

  it('draws an outline that is a valid MultiPolygon holding every cell centre, hole left open', () => {
    const centre = latLngToCell(52.5, 5.7, RES)
    const ring = gridRing(centre, 2).map((h) => row(h, 3, 1500, 'WK030301'))
    const [area] = gapAreas(gapCellsFromRows(ring), context()).areas
    const outline = multiPolygon(area!.outline!.coordinates)
    expect(booleanValid(outline)).toBe(true)
    for (const cell of area!.cells)
      expect(booleanPointInPolygon(point([...lonLat(cell)]), outline)).toBe(true)
    expect(booleanPointInPolygon(point([...lonLat(centre)]), outline)).toBe(false)
    expect(area!.outline!.coordinates).toHaveLength(1)
    expect(area!.outline!.coordinates[0]).toHaveLength(2)
  })

  it('puts the point inside the area even when the weighted centre falls in its hole', () => {
    const centre = latLngToCell(52.5, 5.7, RES)
    const ring = gridRing(centre, 2).map((h) => row(h, 3, 1500, 'WK030301'))
    const [area] = gapAreas(gapCellsFromRows(ring), context()).areas
    expect(area!.cells).toContain(area!.pointCell)
    expect(area!.point).toEqual(lonLat(area!.pointCell))
    // The nearest cell to the weighted centre (the hole's centre; equal weights).
    const centres = ring.map((r) => lonLat(r.h3))
    const mean = [0, 1].map((k) => centres.reduce((s, c) => s + c[k]!, 0) / centres.length)
    const away = (c: LonLat) =>
      Math.hypot((c[0] - mean[0]!) * Math.cos((mean[1]! * Math.PI) / 180), c[1] - mean[1]!)
    expect(away(area!.point)).toBeCloseTo(Math.min(...centres.map(away)), 12)
  })

  it('keeps the inhabitant-weighted centre when it lies in the area', () => {
    const rows = [
      row(at(0), 1, 1000, 'WK030301'),
      row(at(1), 1, 1000, 'WK030301'),
      row(at(2), 2, 1000, 'WK030301'),
    ]
    const [area] = gapAreas(gapCellsFromRows(rows), context()).areas
    const centres = rows.map((r) => lonLat(r.h3))
    const weights = [1, 1, 2]
    const lon = centres.reduce((s, c, i) => s + c[0] * weights[i]!, 0) / 4
    const lat = centres.reduce((s, c, i) => s + c[1] * weights[i]!, 0) / 4
    expect(area!.point[0]).toBeCloseTo(lon, 12)
    expect(area!.point[1]).toBeCloseTo(lat, 12)
  })
})

describe('gap areas: labels', () => {
  const west: LonLat = [5.7, 52.52]
  const polder: LonLat = [5.65, 52.55]

  it('tells two gap areas in one wijk apart by their direction from its centre', () => {
    const rows = [
      row(cellFrom(west, 0, 800), 5, 1500, 'WK030303'),
      row(cellFrom(west, 180, 800), 5, 1000, 'WK030303'),
    ]
    const areas = gapAreas(
      gapCellsFromRows(rows),
      context({ WK030303: { centre: west, areaKm2: 3 } }),
    ).areas
    expect(areas.map((a) => a.label)).toEqual([
      { nl: 'Wijk 03 Dronten-West, noord (8251)', en: 'Wijk 03 Dronten-West, north (8251)' },
      { nl: 'Wijk 03 Dronten-West, zuid (8251)', en: 'Wijk 03 Dronten-West, south (8251)' },
    ])
    expect(areas.map((a) => a.direction)).toEqual(['N', 'S'])
  })

  it('gives a direction in a large wijk even to its only gap area', () => {
    const rows = [row(cellFrom(polder, 45, 3000), 5, 2500, 'WK030305')]
    const [area] = gapAreas(
      gapCellsFromRows(rows),
      context({ WK030305: { centre: polder, areaKm2: 126 } }),
    ).areas
    expect(area?.label).toEqual({
      nl: 'Wijk 05 Buitengebied Dronten, noordoost (8251)',
      en: 'Wijk 05 Buitengebied Dronten, northeast (8251)',
    })
  })

  it('says "midden" for a gap area near the centre of its wijk', () => {
    const rows = [row(cellFrom(polder, 100, 500), 5, 2500, 'WK030305')]
    const [area] = gapAreas(
      gapCellsFromRows(rows),
      context({ WK030305: { centre: polder, areaKm2: 126 } }),
    ).areas
    expect(area?.direction).toBe('C')
    expect(area?.label.nl).toBe('Wijk 05 Buitengebied Dronten, midden (8251)')
  })

  it('uses 16 compass points when 8 do not tell two areas apart', () => {
    const rows = [
      row(cellFrom(polder, 30, 3000), 5, 2500, 'WK030305'),
      row(cellFrom(polder, 55, 3000), 5, 2000, 'WK030305'),
    ]
    const areas = gapAreas(
      gapCellsFromRows(rows),
      context({ WK030305: { centre: polder, areaKm2: 126 } }),
    ).areas
    expect(areas.map((a) => a.label.nl)).toEqual([
      'Wijk 05 Buitengebied Dronten, noordnoordoost (8251)',
      'Wijk 05 Buitengebied Dronten, noordoost (8251)',
    ])
  })

  it('numbers labels that stay equal, most severe first', () => {
    const rows = [
      row(cellFrom(polder, 45, 3600), 5, 1000, 'WK030305'),
      row(cellFrom(polder, 45, 3000), 5, 2000, 'WK030305'),
    ]
    const areas = gapAreas(
      gapCellsFromRows(rows),
      context({ WK030305: { centre: polder, areaKm2: 126 } }),
    ).areas
    expect(areas.map((a) => a.label)).toEqual([
      {
        nl: 'Wijk 05 Buitengebied Dronten, noordoost, gebied 1 (8251)',
        en: 'Wijk 05 Buitengebied Dronten, northeast, area 1 (8251)',
      },
      {
        nl: 'Wijk 05 Buitengebied Dronten, noordoost, gebied 2 (8251)',
        en: 'Wijk 05 Buitengebied Dronten, northeast, area 2 (8251)',
      },
    ])
    expect(areas[0]?.severity).toBe(6000)
  })

  it('names an area over several wijken, none with half its people, by the main one and the others', () => {
    // One connected line of cells over three wijken: 40 + 35 + 25 inhabitants.
    const rows = [
      row(at(0), 40, 1500, 'WK030301', 'BU03030101', '8251'),
      row(at(1), 35, 1500, 'WK030302', null, '8253'),
      row(at(2), 25, 1500, 'WK030303', null, '8254'),
    ]
    const [area] = gapAreas(
      gapCellsFromRows(rows),
      context({ WK030301: { centre: polder, areaKm2: 126 } }),
    ).areas
    expect(area?.label).toEqual({
      nl: 'Wijk 01 Dronten en 2 andere wijken',
      en: 'Wijk 01 Dronten and 2 other districts',
    })
    expect(area?.direction).toBeNull()
    expect(area?.wijken.map((w) => w.inhabitants)).toEqual([40, 35, 25])
  })

  it('keeps the main wijk alone in the label when it holds half of the people or more', () => {
    const rows = [
      row(at(0), 50, 1500, 'WK030301', 'BU03030101', '8251'),
      row(at(1), 49, 1500, 'WK030302', null, '8253'),
      row(at(2), 1, 1500, 'WK030303', null, '8254'),
    ]
    const [area] = gapAreas(gapCellsFromRows(rows), context()).areas
    expect(area?.label.nl).toBe('Wijk 01 Dronten – Dronten-Noord (8251)')
    const [two] = gapAreas(
      gapCellsFromRows([
        row(at(0), 10, 1500, 'WK030301', null, '8251'),
        row(at(1), 11, 1500, 'WK030302', null, '8253'),
      ]),
      context(),
    ).areas
    expect(two?.label).toEqual({
      nl: 'Wijk 02 Dronten-Oost (8253)',
      en: 'Wijk 02 Dronten-Oost (8253)',
    })
  })

  it('numbers equal labels when the wijk has no known centre', () => {
    const rows = [row(at(0), 1, 1000, 'WK030309'), row(at(5), 2, 1000, 'WK030309')]
    const areas = gapAreas(gapCellsFromRows(rows), context()).areas
    expect(areas.map((a) => a.label.nl)).toEqual([
      'WK030309, gebied 1 (8251)',
      'WK030309, gebied 2 (8251)',
    ])
  })
})

describe('gap areas: connectivity near a pentagon', () => {
  it('keeps cells around a pentagon together that one local IJ frame would split', () => {
    // Around the pentagon 8a0800000007fff, where H3's local IJ coordinates are distorted.
    const cells = [
      '8a0800000007fff',
      '8a0800000017fff',
      '8a0800000027fff',
      '8a080000002ffff',
      '8a0800000037fff',
      '8a08000000a7fff',
      '8a08000000e7fff',
      '8a080000010ffff',
      '8a080000011ffff',
      '8a080000015ffff',
      '8a080000018ffff',
    ]
    const result = gapAreas(
      gapCellsFromRows(cells.map((h) => row(h, 1, 1000, 'WK030301'))),
      context(),
    )
    expect(result.count).toBe(1)
    expect(result.areas[0]?.cells).toEqual(cells)
  })
})

describe('gap areas: input that is not a gap', () => {
  const check = (rows: GapCellRow[]) => () => gapAreas(gapCellsFromRows(rows), context())

  it('refuses a cell within the threshold, NaN or negative inhabitants', () => {
    expect(check([row(A, 1, 800, 'WK030301')])).toThrow(/not beyond the threshold/)
    expect(check([row(A, 1, Number.NaN, 'WK030301')])).toThrow(/not beyond the threshold/)
    expect(check([row(A, -1, 1000, 'WK030301')])).toThrow(/inhabitants/)
    expect(check([row(A, Number.NaN, 1000, 'WK030301')])).toThrow(/inhabitants/)
  })

  it('refuses invalid, upper-case or mixed-resolution indexes and parts at different distances', () => {
    expect(check([row('not a cell', 1, 1000, 'WK030301')])).toThrow(/H3 cell index/)
    expect(check([row(A.toUpperCase(), 1, 1000, 'WK030301')])).toThrow(/H3 cell index/)
    expect(
      check([row(A, 1, 1000, 'WK030301'), row(latLngToCell(52.5, 5.7, 9), 1, 1000, 'WK030301')]),
    ).toThrow(/resolution/)
    expect(check([row(A, 1, 1000, 'WK030301'), row(A, 1, 1100, 'WK030301')])).toThrow(
      /different distances/,
    )
  })

  it('returns nothing for no gap cells', () => {
    expect(gapAreas(gapCellsFromRows([]), context())).toEqual({
      res: null,
      thresholdM: THRESHOLD_M,
      count: 0,
      cellCount: 0,
      inhabitants: 0,
      areas: [],
    })
  })
})

// Property tests over random gap cells in three small regions (so that cells often come in several
// parts): Dronten, across the edge between H3 base cells 12 and 15 (Zeeland), and around a
// pentagon (where connectivity falls back to gridDisk).
const REGIONS = [
  gridDisk(latLngToCell(52.52, 5.72, RES), 4),
  gridDisk(latLngToCell(51.4, 4.01, RES), 4),
  gridDisk(getPentagons(RES)[0]!, 2),
]

const WIJKEN = ['WK030301', 'WK030302', 'WK030305'] as const
const gapRows = fc
  .record({
    region: fc.integer({ min: 0, max: REGIONS.length - 1 }),
    picks: fc.array(
      fc.record({
        slot: fc.nat(),
        // Fractions like a dasymetric surface's (whose sums round differently in another order).
        inhabitants: fc.oneof(
          fc.integer({ min: 0, max: 5000 }).map((n) => n / 97),
          fc.double({ min: 0, max: 50, noNaN: true }),
          fc.integer({ min: 0, max: 5 }),
        ),
        distanceM: fc.oneof(
          fc.constant(Infinity),
          fc.double({ min: 800.5, max: 6000, noNaN: true }),
        ),
        wijk: fc.constantFrom(...WIJKEN),
        buurt: fc.constantFrom(null, 'BU03030101', 'BU03030102'),
        pc4: fc.constantFrom(null, '8251', '8252'),
      }),
      { maxLength: 90 },
    ),
  })
  .map(({ region, picks }) => {
    const cells = REGIONS[region]!
    const distance = new Map<string, number>()
    return picks.map((p): GapCellRow => {
      const h3 = cells[p.slot % cells.length]!
      if (!distance.has(h3)) distance.set(h3, p.distanceM)
      return { ...p, inhabitants: Math.abs(p.inhabitants), h3, distanceM: distance.get(h3)! }
    })
  })

const polderContext = context({
  WK030301: { centre: [5.72, 52.52], areaKm2: 3 },
  WK030305: { centre: [4.01, 51.4], areaKm2: 126 },
})

describe('gap areas: properties', () => {
  it('partitions the cells: every gap cell in exactly one area', () => {
    fc.assert(
      fc.property(gapRows, (rows) => {
        const result = gapAreas(gapCellsFromRows(rows), polderContext)
        const all = result.areas.flatMap((a) => a.cells)
        expect(all.length).toBe(new Set(all).size)
        expect(new Set(all)).toEqual(new Set(rows.map((r) => r.h3)))
        expect(result.areas.reduce((s, a) => s + a.cellCount, 0)).toBe(result.cellCount)
      }),
    )
  })

  it('never splits neighbours and keeps each area connected (checked with gridDisk)', () => {
    fc.assert(
      fc.property(gapRows, (rows) => {
        const areaOf = new Map<string, number>()
        const areas = gapAreas(gapCellsFromRows(rows), polderContext).areas
        areas.forEach((a, i) => a.cells.forEach((c) => areaOf.set(c, i)))
        for (const [cell, a] of areaOf) {
          for (const n of gridDisk(cell, 1)) if (areaOf.has(n)) expect(areaOf.get(n)).toBe(a)
        }
        for (const area of areas) {
          const reached = new Set([area.cells[0]!])
          const queue = [area.cells[0]!]
          for (let c = queue.pop(); c !== undefined; c = queue.pop()) {
            for (const n of gridDisk(c, 1)) {
              if (areaOf.has(n) && !reached.has(n)) {
                reached.add(n)
                queue.push(n)
              }
            }
          }
          expect(reached.size).toBe(area.cellCount)
        }
      }),
    )
  })

  it('conserves inhabitants, unreachable inhabitants and severity', () => {
    fc.assert(
      fc.property(gapRows, (rows) => {
        const result = gapAreas(gapCellsFromRows(rows), polderContext)
        const close = (got: number, want: number) =>
          expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)))
        const sum = (f: (r: GapCellRow) => number) => rows.reduce((s, r) => s + f(r), 0)
        const areasSum = (f: (a: (typeof result.areas)[number]) => number) =>
          result.areas.reduce((s, a) => s + f(a), 0)
        close(
          areasSum((a) => a.inhabitants),
          sum((r) => r.inhabitants),
        )
        close(
          result.inhabitants,
          sum((r) => r.inhabitants),
        )
        close(
          areasSum((a) => a.unreachableInhabitants),
          sum((r) => (r.distanceM === Infinity ? r.inhabitants : 0)),
        )
        close(
          areasSum((a) => a.severity),
          sum((r) => (r.distanceM === Infinity ? 0 : r.inhabitants * (r.distanceM - THRESHOLD_M))),
        )
        for (const area of result.areas) {
          close(
            area.wijken.reduce((s, w) => s + w.inhabitants, 0),
            area.inhabitants,
          )
        }
      }),
    )
  })

  it('does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(gapRows, fc.nat(), (rows, seed) => {
        let state = seed
        const shuffled = [...rows]
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (state * 1_103_515_245 + 12_345) % 2 ** 31
          const j = state % (i + 1)
          ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
        }
        expect(gapAreas(gapCellsFromRows(shuffled), polderContext)).toEqual(
          gapAreas(gapCellsFromRows(rows), polderContext),
        )
      }),
    )
  })

  it('ranks most severe first and labels every area uniquely', () => {
    fc.assert(
      fc.property(gapRows, (rows) => {
        const { areas } = gapAreas(gapCellsFromRows(rows), polderContext)
        areas.forEach((a, i) => {
          expect(a.rank).toBe(i + 1)
          if (i > 0) expect(compareGapAreas(areas[i - 1]!, a)).toBeLessThan(0)
        })
        expect(new Set(areas.map((a) => a.label.nl)).size).toBe(areas.length)
        expect(new Set(areas.map((a) => a.label.en)).size).toBe(areas.length)
      }),
    )
  })

  it('gives the same areas with a limit as the start of the full list', () => {
    fc.assert(
      fc.property(gapRows, fc.nat({ max: 12 }), (rows, limit) => {
        const cells = gapCellsFromRows(rows)
        expect(gapAreas(cells, polderContext, { limit }).areas).toEqual(
          gapAreas(cells, polderContext).areas.slice(0, limit),
        )
      }),
    )
  })

  it('takes the top k of many areas like a full sort would', () => {
    const key = fc.record({
      unreachableInhabitants: fc.integer({ min: 0, max: 2 }),
      severity: fc.integer({ min: 0, max: 3 }),
      inhabitants: fc.integer({ min: 0, max: 3 }),
    })
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), fc.nat({ max: 40 }), (keys, k) => {
        const areas = keys.map((a, i) => ({ ...a, id: String(i).padStart(4, '0') }))
        expect(rankGapAreas(areas, k)).toEqual([...areas].sort(compareGapAreas).slice(0, k))
      }),
    )
  })

  it('has fixture regions that cross a base-cell edge and lie in a pentagon base cell', () => {
    expect(new Set(REGIONS[1]!.map(getBaseCellNumber)).size).toBe(2)
    const pentagonBase = getBaseCellNumber(getPentagons(RES)[0]!)
    expect(REGIONS[2]!.every((c) => getBaseCellNumber(c) === pentagonBase)).toBe(true)
  })
})
