import fc from 'fast-check'
import {
  cellArea,
  cellToLatLng,
  cellToParent,
  polygonToCellsExperimental,
  POLYGON_TO_CELLS_FLAGS,
} from 'h3-js'
import { area as turfArea, booleanPointInPolygon } from '@turf/turf'
import { describe, expect, it } from 'vitest'
import {
  cellOverlaps,
  dasymetricShares,
  densityFromAreas,
  surfaces,
  type CountedArea,
} from '../../api/domain/surface.js'

/** A lon/lat rectangle as a GeoJSON Polygon. */
const rect = (lon: number, lat: number, w: number, h = w) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [lon, lat],
      [lon + w, lat],
      [lon + w, lat + h],
      [lon, lat + h],
      [lon, lat],
    ],
  ],
})

const sum = (values: Iterable<number>) => {
  let s = 0
  for (const v of values) s += v
  return s
}

/** Inhabitants placed in the part of `shares` whose cell centre lies in `geometry`. */
const within = (shares: { cell: string; inhabitants: number }[], geometry: object) =>
  sum(
    shares
      .filter((s) => {
        const [lat, lon] = cellToLatLng(s.cell)
        return booleanPointInPolygon([lon, lat], geometry as never)
      })
      .map((s) => s.inhabitants),
  )

describe('dasymetric weighting (golden, by hand)', () => {
  // One wijk of 0.02° × 0.02° near Lelystad, split into a west and an east PC4 of equal land.
  const wijk: CountedArea = { code: 'WK099501', inhabitants: 550, geometry: rect(5.46, 52.5, 0.02) }
  const west = rect(5.46, 52.5, 0.01, 0.02)
  const east = rect(5.47, 52.5, 0.01, 0.02)
  // Either side of the dividing line (lon 5.47), reaching well beyond the wijk, so a cell is
  // counted on the side of its centre, also where it sticks out of the wijk.
  const westSide = rect(5.4, 52.4, 0.07, 0.2)
  const eastSide = rect(5.47, 52.4, 0.07, 0.2)

  it('places a wijk by the PC4 density: ten times the density, ten times the people', () => {
    const { layer, largest } = densityFromAreas(
      [
        { code: '8201', inhabitants: 1000, geometry: west },
        { code: '8202', inhabitants: 100, geometry: east },
      ],
      { name: 'pc4', source: 'test', year: 2021 },
    )
    const { shares, layerOf } = dasymetricShares([wijk], [layer], largest)
    expect(layerOf.get('WK099501')).toBe('pc4')
    // The wijk keeps its own count, not the PC4s' 1,100.
    expect(sum(shares.map((s) => s.inhabitants))).toBeCloseTo(550, 9)
    // 10 : 1 → 500 west, 50 east (cells on the dividing line split by their overlap).
    expect(within(shares, westSide) + within(shares, eastSide)).toBeCloseTo(550, 9)
    expect(within(shares, westSide)).toBeGreaterThan(490)
    expect(within(shares, westSide)).toBeLessThan(510)
    expect(within(shares, eastSide)).toBeGreaterThan(40)
    expect(within(shares, eastSide)).toBeLessThan(60)
    // Each cell is named after the PC4 that covers most of it.
    const westCells = shares.filter((s) => s.pc4 === '8201')
    expect(within(westCells, westSide)).toBeCloseTo(sum(westCells.map((s) => s.inhabitants)), 6)
  })

  it('places by land area alone without a density layer, and keeps nobody out of a tiny area', () => {
    const { shares, layerOf } = dasymetricShares(
      [wijk, { code: 'WK099502', inhabitants: 7, geometry: rect(5.5, 52.5, 0.00001) }],
      [],
    )
    expect(layerOf.get('WK099501')).toBeNull()
    // Equal land either side: half the people either side (up to the cells on the line).
    expect(Math.abs(within(shares, westSide) - 275)).toBeLessThan(6)
    expect(sum(shares.filter((s) => s.unit === 'WK099502').map((s) => s.inhabitants))).toBe(7)
  })

  it('puts nobody in an area with no inhabitants, whatever the density around it', () => {
    const { layer } = densityFromAreas([{ code: '8201', inhabitants: 5000, geometry: west }], {
      name: 'pc4',
      source: 'test',
      year: 2021,
    })
    const lake = { code: 'WK003499', inhabitants: 0, geometry: west }
    expect(dasymetricShares([lake], [layer]).shares).toEqual([])
  })

  it('falls back to land area where the density layer says nobody lives', () => {
    // The only PC4 has no inhabitants: it gives no weight, so the wijk is spread by area.
    const { layer } = densityFromAreas([{ code: '8201', inhabitants: 0, geometry: west }], {
      name: 'pc4',
      source: 'test',
      year: 2021,
    })
    const { shares, layerOf } = dasymetricShares([wijk], [layer])
    expect(layerOf.get('WK099501')).toBeNull()
    expect(sum(shares.map((s) => s.inhabitants))).toBeCloseTo(550, 9)
  })

  it('holds fractional inhabitants: nothing is rounded to whole people', () => {
    const { shares } = dasymetricShares([{ ...wijk, inhabitants: 3 }], [])
    expect(shares.length).toBeGreaterThan(3)
    expect(shares.some((s) => !Number.isInteger(s.inhabitants))).toBe(true)
    expect(sum(shares.map((s) => s.inhabitants))).toBeCloseTo(3, 12)
  })
})

describe('population surface (properties)', () => {
  const square = fc.record({
    lon: fc.double({ min: 5.2, max: 5.8, noNaN: true }),
    lat: fc.double({ min: 52.3, max: 52.8, noNaN: true }),
    size: fc.double({ min: 0.0005, max: 0.02, noNaN: true }),
    inhabitants: fc.integer({ min: 0, max: 20_000 }),
  })

  it('keeps every unit at its count, at every resolution, with or without an ancillary layer; parents hold their children', () => {
    fc.assert(
      fc.property(
        fc.array(square, { minLength: 1, maxLength: 4 }),
        fc.array(square, { minLength: 1, maxLength: 4 }),
        (unitSpecs, pc4Specs) => {
          const units = unitSpecs.map((s, i) => ({
            code: `WK00010${i}`,
            inhabitants: s.inhabitants,
            geometry: rect(s.lon, s.lat, s.size),
          }))
          const { layer, largest } = densityFromAreas(
            pc4Specs.map((s, i) => ({
              code: String(8200 + i),
              inhabitants: s.inhabitants,
              geometry: rect(s.lon, s.lat, s.size),
            })),
            { name: 'pc4', source: 'test', year: 2021 },
          )
          for (const layers of [[], [layer]]) {
            const { shares } = dasymetricShares(units, layers, largest)
            const all = surfaces(shares)
            const base = all.find((x) => x.res === 10)?.cells ?? []
            for (const surface of all) {
              for (const u of units) {
                const own = sum(
                  surface.portions.filter((p) => p.unit === u.code).map((p) => p.inhabitants),
                )
                expect(own).toBeCloseTo(u.inhabitants, 6)
              }
              const children = new Map<string, number>()
              for (const c of base) {
                const parent = cellToParent(c.cell, surface.res)
                children.set(parent, (children.get(parent) ?? 0) + c.inhabitants)
              }
              expect(surface.cells.map((c) => c.cell)).toEqual([...children.keys()].sort())
              for (const c of surface.cells)
                expect(c.inhabitants).toBeCloseTo(children.get(c.cell) as number, 6)
            }
          }
        },
      ),
      { numRuns: 25 },
    )
  })

  it('finds exactly the polygon area in the cell overlaps, holes subtracted', () => {
    const withHole = {
      type: 'Polygon' as const,
      coordinates: [
        rect(5.5, 52.5, 0.03, 0.02).coordinates[0] as number[][],
        [
          [5.51, 52.505],
          [5.51, 52.512],
          [5.52, 52.512],
          [5.52, 52.505],
          [5.51, 52.505],
        ],
      ],
    }
    for (const geometry of [rect(5.5, 52.5, 0.013), withHole]) {
      const total = sum(cellOverlaps(geometry).values())
      const expected = turfArea({ type: 'Feature', properties: {}, geometry })
      expect(Math.abs(total - expected) / expected).toBeLessThan(0.002)
    }
  })

  it("weighs the same cells as H3's own polygon-to-cells: whole cells inside, nothing outside", () => {
    // Random quadrilaterals (convex or not, up to about 3 km) with a hole in some: cellOverlaps
    // visits cells in groups instead of asking H3 at resolution 10; the cells must be H3's.
    const quad = fc.tuple(
      fc.double({ min: 5.3, max: 5.7, noNaN: true }),
      fc.double({ min: 52.3, max: 52.6, noNaN: true }),
      fc.array(fc.double({ min: 0.004, max: 0.025, noNaN: true }), { minLength: 4, maxLength: 4 }),
      fc.boolean(),
    )
    fc.assert(
      fc.property(quad, ([lon, lat, r, hole]) => {
        const ring = [
          [lon - r[0]!, lat],
          [lon, lat - r[1]!],
          [lon + r[2]!, lat],
          [lon, lat + r[3]!],
          [lon - r[0]!, lat],
        ]
        const inner = [
          [lon - 0.001, lat - 0.001],
          [lon - 0.001, lat + 0.001],
          [lon + 0.001, lat + 0.001],
          [lon + 0.001, lat - 0.001],
          [lon - 0.001, lat - 0.001],
        ]
        const rings = hole ? [ring, inner] : [ring]
        const overlaps = cellOverlaps({ type: 'Polygon', coordinates: rings })
        const touching = new Set(
          polygonToCellsExperimental(
            rings,
            10,
            POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
            true,
          ),
        )
        const inside = polygonToCellsExperimental(
          rings,
          10,
          POLYGON_TO_CELLS_FLAGS.containmentFull,
          true,
        )
        for (const cell of overlaps.keys()) expect(touching.has(cell)).toBe(true)
        for (const cell of inside) expect(overlaps.get(cell)).toBe(cellArea(cell, 'm2'))
        // No boundary cell lost: the overlaps add up to the polygon's area.
        const total = sum(overlaps.values())
        const area = turfArea({ type: 'Polygon', coordinates: rings })
        expect(Math.abs(total - area) / area).toBeLessThan(0.002)
      }),
      { numRuns: 40 },
    )
  })
})
