import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { coverage, type Selection } from '../../api/domain/coverage.js'
import { RADII, straightLine, type Points } from '../../api/domain/reach.js'
import { computeStraightLine } from '../../api/services/compute/line.js'
import { workerCompute } from '../../api/services/compute/pool.js'

const pts = (xy: [number, number][]): Points => ({
  x: Float64Array.from(xy, (p) => p[0]),
  y: Float64Array.from(xy, (p) => p[1]),
  lon: new Float64Array(xy.length),
  lat: new Float64Array(xy.length),
})

/** The obvious O(n·m) answer the grid must match. */
function bruteForce(origins: Points, places: Points) {
  const n = origins.x.length
  const nearest = new Float64Array(n).fill(Infinity)
  const within = RADII.map(() => new Int32Array(n))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < places.x.length; j++) {
      const d = Math.hypot(
        (origins.x[i] as number) - (places.x[j] as number),
        (origins.y[i] as number) - (places.y[j] as number),
      )
      if (d < (nearest[i] as number)) nearest[i] = d
      RADII.forEach((r, k) => {
        const counts = within[k] as Int32Array
        if (d * d <= r * r) counts[i] = (counts[i] as number) + 1
      })
    }
  }
  return { nearest, within }
}

const rdPoint = fc.tuple(
  fc.double({ min: 140_000, max: 190_000, noNaN: true }),
  fc.double({ min: 480_000, max: 530_000, noNaN: true }),
)

describe('straight-line reach (golden)', () => {
  it('measures hand-checkable distances and counts', () => {
    // Places at the origin of a 3-4-5 triangle, scaled: 300/400/500 m, 3 and 6 km away.
    const places = pts([
      [150_000, 500_000],
      [153_000, 500_000],
      [156_000, 500_000],
    ])
    const origins = pts([
      [150_300, 500_400],
      [151_500, 500_000],
      [160_000, 500_000],
      [150_000, 505_000],
    ])
    const reach = straightLine().measure(origins, places)
    expect([...reach.nearest]).toEqual([500, 1500, 4000, 5000])
    expect([...reach.within[0]]).toEqual([1, 0, 0, 0])
    expect([...reach.within[1]]).toEqual([2, 2, 0, 0])
    expect([...reach.within[2]]).toEqual([2, 3, 1, 1])
  })

  it('says Infinity and zero counts when nothing counts', () => {
    const reach = straightLine().measure(pts([[150_000, 500_000]]), pts([]))
    expect(reach.nearest[0]).toBe(Infinity)
    expect(reach.within[2][0]).toBe(0)
  })

  it('finds a nearest place far beyond 5 km', () => {
    const reach = straightLine().measure(pts([[150_000, 500_000]]), pts([[150_000, 530_000]]))
    expect(reach.nearest[0]).toBe(30_000)
  })
})

describe('straight-line reach (properties)', () => {
  it('equals the brute-force answer for any origins and places', () => {
    fc.assert(
      fc.property(
        fc.array(rdPoint, { maxLength: 40 }),
        fc.array(rdPoint, { maxLength: 60 }),
        fc.integer({ min: 200, max: 6000 }),
        (o, p, bucket) => {
          const origins = pts(o)
          const places = pts(p)
          const grid = straightLine(bucket).measure(origins, places)
          const naive = bruteForce(origins, places)
          for (let i = 0; i < o.length; i++) {
            expect(grid.nearest[i]).toBeCloseTo(naive.nearest[i] as number, 6)
            for (let k = 0; k < 3; k++) expect(grid.within[k]?.[i]).toBe(naive.within[k]?.[i])
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('adding a place never raises a distance nor lowers coverage; removing it does the reverse', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rdPoint, fc.integer({ min: 0, max: 500 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(rdPoint, { maxLength: 30 }),
        rdPoint,
        fc.integer({ min: 100, max: 5000 }),
        (cells, places, extra, threshold) => {
          const origins = pts(cells.map((c) => c[0]))
          const selection: Selection = {
            cell: Int32Array.from(cells, (_, i) => i),
            inhabitants: Float64Array.from(cells, (c) => c[1]),
          }
          const before = straightLine().measure(origins, pts(places))
          const after = straightLine().measure(origins, pts([...places, extra]))
          for (let i = 0; i < cells.length; i++) {
            expect(after.nearest[i]).toBeLessThanOrEqual(before.nearest[i] as number)
            for (let k = 0; k < 3; k++)
              expect(after.within[k]?.[i]).toBeGreaterThanOrEqual(before.within[k]?.[i] as number)
          }
          const covBefore = coverage(selection, before, threshold)
          const covAfter = coverage(selection, after, threshold)
          expect(covAfter.inhabitantsWithin).toBeGreaterThanOrEqual(covBefore.inhabitantsWithin)
          for (const cov of [covBefore, covAfter]) {
            if (cov.share !== null) {
              expect(cov.share).toBeGreaterThanOrEqual(0)
              expect(cov.share).toBeLessThanOrEqual(1)
            }
            expect(cov.bands.reduce((s, b) => s + b.inhabitants, 0)).toBe(cov.inhabitants)
            expect(cov.inhabitantsWithin + cov.gapInhabitants).toBe(cov.inhabitants)
          }
          for (const k of [0, 1, 3]) {
            expect(coverage(selection, after, threshold, k).gaps).toEqual(covAfter.gaps.slice(0, k))
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('straight-line reach on worker threads', () => {
  it('gives exactly the single-threaded answer', async () => {
    const random = fc.sample(rdPoint, { numRuns: 3000, seed: 7 })
    const origins = pts(random.slice(0, 2500))
    const places = pts(random.slice(2500))
    const compute = workerCompute({ threads: 2 })
    const parallel = computeStraightLine(compute, { minOrigins: 0 })
    try {
      const expected = straightLine(1200, 1000).measure(origins, places)
      const actual = await parallel.measure(origins, places)
      expect([...actual.nearest]).toEqual([...expected.nearest])
      for (let k = 0; k < 3; k++)
        expect([...(actual.within[k] ?? [])]).toEqual([...(expected.within[k] ?? [])])
    } finally {
      await compute.close()
    }
  })
})

describe('coverage (golden)', () => {
  it('adds up bands, means and ranked gaps by hand', () => {
    const reach = {
      nearest: Float64Array.from([300, 900, 2000, Infinity]),
      within: [
        Int32Array.from([1, 0, 0, 0]),
        Int32Array.from([2, 1, 1, 0]),
        Int32Array.from([3, 2, 1, 0]),
      ] as const,
    }
    const selection = {
      cell: Int32Array.from([0, 1, 2, 3, 0]),
      inhabitants: Float64Array.from([60, 30, 10, 5, 40]),
    }
    const cov = coverage(selection, reach, 800)
    expect(cov.inhabitants).toBe(145)
    expect(cov.inhabitantsWithin).toBe(100)
    expect(cov.share).toBeCloseTo(100 / 145, 12)
    expect(cov.unreachableInhabitants).toBe(5)
    expect(cov.meanDistanceM).toBeCloseTo((100 * 300 + 30 * 900 + 10 * 2000) / 140, 9)
    expect(cov.meanPlacesWithin['1km']).toBeCloseTo(100 / 145, 12)
    expect(cov.meanPlacesWithin['5km']).toBeCloseTo((300 + 60 + 10) / 145, 12)
    expect(cov.bands.map((b) => b.inhabitants)).toEqual([100, 0, 30, 10, 5])
    expect(cov.gaps).toEqual([
      { cell: 3, inhabitants: 5, distanceM: null, severity: null },
      { cell: 2, inhabitants: 10, distanceM: 2000, severity: 12_000 },
      { cell: 1, inhabitants: 30, distanceM: 900, severity: 3000 },
    ])
    expect(cov).toMatchObject({ gapCount: 3, gapInhabitants: 45 })
    expect(coverage(selection, reach, 800, 1).gaps).toEqual([cov.gaps[0]])
  })

  it('reports no share for an area without inhabitants', () => {
    const cov = coverage(
      { cell: new Int32Array(0), inhabitants: new Float64Array(0) },
      {
        nearest: new Float64Array(0),
        within: [new Int32Array(0), new Int32Array(0), new Int32Array(0)],
      },
      800,
    )
    expect(cov).toMatchObject({ inhabitants: 0, share: null, meanDistanceM: null })
  })
})
