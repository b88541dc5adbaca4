import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BACKWARD, buildNetwork, FORWARD, type NetworkWay } from '../../api/domain/network/build.js'
import { dijkstra, prepareGraph, snap, type Graph } from '../../api/domain/network/graph.js'
import { wayRules } from '../../api/domain/network/profiles.js'
import { detourFactors, networkReach, UNREACHABLE } from '../../api/domain/network/reach.js'
import { mergeField, placeFromTags } from '../../api/domain/osm-places.js'
import { RADII, straightLine } from '../../api/domain/reach.js'
import { pts, randomGraph } from '../helpers/graphs.js'

const both = { forward: true, backward: true }

describe('walk and bike rules from OpenStreetMap tags', () => {
  it.each([
    [{ highway: 'footway' }, both, null],
    [{ highway: 'footway', bicycle: 'yes' }, both, both],
    [{ highway: 'cycleway' }, both, both],
    [{ highway: 'cycleway', foot: 'no' }, null, both],
    [{ highway: 'steps' }, both, null],
    [{ highway: 'motorway' }, null, null],
    [{ highway: 'trunk' }, null, null],
    [{ highway: 'trunk', foot: 'yes', bicycle: 'designated' }, both, both],
    [{ highway: 'residential', access: 'private' }, null, null],
    [{ highway: 'service', access: 'no', foot: 'yes' }, both, null],
    [{ highway: 'residential', oneway: 'yes' }, both, { forward: true, backward: false }],
    [{ highway: 'residential', oneway: '-1' }, both, { forward: false, backward: true }],
    [{ highway: 'residential', oneway: 'yes', 'oneway:bicycle': 'no' }, both, both],
    [{ highway: 'residential', oneway: 'yes', cycleway: 'opposite_lane' }, both, both],
    [{ highway: 'tertiary', junction: 'roundabout' }, both, { forward: true, backward: false }],
    [{ highway: 'construction' }, null, null],
    [{ building: 'yes' }, null, null],
  ])('%j → walk %j, bike %j', (tags, walk, bike) => {
    const rules = wayRules(tags)
    expect(rules.walk).toEqual(walk)
    expect(rules.bike).toEqual(bike)
  })

  it('makes a ferry route an edge for both profiles unless closed to them', () => {
    expect(wayRules({ route: 'ferry' })).toEqual({ walk: both, bike: both, ferry: true })
    expect(wayRules({ route: 'ferry', bicycle: 'no' }).bike).toBeNull()
  })
})

describe('building the graph from ways', () => {
  // Two streets crossing at node 3; node 9 has no coordinates in the file.
  const coords = new Map<number, [number, number]>([
    [1, [5.47, 52.5]],
    [2, [5.471, 52.5]],
    [3, [5.472, 52.5]],
    [4, [5.473, 52.5]],
    [5, [5.472, 52.499]],
    [6, [5.472, 52.501]],
  ])
  const way = (id: number, refs: number[], tags: Record<string, string>): NetworkWay => ({
    id,
    refs,
    highway: tags.highway ?? '',
    rules: wayRules(tags),
  })

  it('splits ways at shared nodes and keeps the geometry of each piece', () => {
    const built = buildNetwork(
      [
        way(10, [1, 2, 3, 4], { highway: 'residential', oneway: 'yes' }),
        way(11, [5, 3, 6], { highway: 'footway' }),
      ],
      (id) => coords.get(id),
    )
    expect(built.nodes.osmId.length).toBe(5) // 1, 3, 4, 5, 6: node 2 is no junction
    expect(built.edges.count).toBe(4)
    const first = [...built.edges.geomStart.subarray(0, 2)]
    expect(first[1]! - first[0]!).toBe(3) // 1 → 2 → 3
    expect(built.edges.bike[0]).toBe(FORWARD)
    expect(built.edges.walk[0]).toBe(FORWARD | BACKWARD)
    expect(built.edges.bike[2]).toBe(0) // footway
    // About 68 m per 0.001° of longitude at this latitude (RD New metres).
    expect(built.edges.lengthM[0]).toBeGreaterThan(130)
    expect(built.edges.lengthM[0]).toBeLessThan(140)
  })

  it('cuts a way at a node missing from the file, keeping both stretches, and counts it', () => {
    const built = buildNetwork([way(12, [1, 2, 9, 3, 4], { highway: 'path' })], (id) =>
      coords.get(id),
    )
    expect(built.missingNodes).toBe(1)
    expect(built.edges.count).toBe(2) // 1 → 2 (ends at the gap) and 3 → 4
    expect(built.edges.lengthM[0]).toBeGreaterThan(60)
    const osm = (n: number) => built.nodes.osmId[n]
    expect([osm(built.edges.source[0]!), osm(built.edges.target[0]!)]).toEqual([1, 2])
    expect([osm(built.edges.source[1]!), osm(built.edges.target[1]!)]).toEqual([3, 4])
  })
})

/** All-pairs shortest costs by Floyd–Warshall: the obvious answer Dijkstra must match. */
function floydWarshall(g: Graph): Float64Array[] {
  const n = g.nodeCount
  const d = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n).fill(Infinity)
    row[i] = 0
    return row
  })
  for (let e = 0; e < g.source.length; e++) {
    const a = g.source[e]!
    const b = g.target[e]!
    d[a]![b] = Math.min(d[a]![b]!, g.cost[e]!)
    d[b]![a] = Math.min(d[b]![a]!, g.reverseCost[e]!)
  }
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      const dik = d[i]![k]!
      if (dik === Infinity) continue
      for (let j = 0; j < n; j++) {
        const v = dik + d[k]![j]!
        if (v < d[i]![j]!) d[i]![j] = v
      }
    }
  return d
}

/** Nearest usable edge by looking at every segment. */
function snapBrute(g: Graph, px: number, py: number) {
  let best = { edge: -1, offset: 0, distance: Infinity }
  for (let e = 0; e < g.source.length; e++) {
    if (g.cost[e] === Infinity && g.reverseCost[e] === Infinity) continue
    let along = 0
    for (let k = g.geomStart[e]!; k < g.geomStart[e + 1]! - 1; k++) {
      const dx = g.x[k + 1]! - g.x[k]!
      const dy = g.y[k + 1]! - g.y[k]!
      const len = Math.hypot(dx, dy)
      const t = Math.max(0, Math.min(1, ((px - g.x[k]!) * dx + (py - g.y[k]!) * dy) / (len * len)))
      const d = Math.hypot(g.x[k]! + t * dx - px, g.y[k]! + t * dy - py)
      if (d < best.distance - 1e-9) best = { edge: e, offset: along + t * len, distance: d }
      along += len
    }
  }
  return best
}

describe('routing on the graph', () => {
  it('multi-source Dijkstra equals the minimum over Floyd–Warshall rows (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 5 }), (seed, s) => {
        const g = prepareGraph(randomGraph(seed, 6), { minComponentNodes: 1 })
        const all = floydWarshall(g)
        const sources = Array.from({ length: s }, (_, i) => (seed * (i + 7)) % g.nodeCount)
        const dist = new Float64Array(g.nodeCount).fill(Infinity)
        dijkstra(
          g.out,
          sources.map((node) => ({ node, distance: 0 })),
          dist,
        )
        for (let v = 0; v < g.nodeCount; v++) {
          const expected = Math.min(...sources.map((src) => all[src]![v]!))
          if (expected === Infinity) expect(dist[v]).toBe(Infinity)
          else expect(dist[v]).toBeCloseTo(expected, 6)
        }
        // Over the reversed graph: the cost from every node *to* the nearest source.
        const to = new Float64Array(g.nodeCount).fill(Infinity)
        dijkstra(
          g.in,
          sources.map((node) => ({ node, distance: 0 })),
          to,
        )
        for (let v = 0; v < g.nodeCount; v++) {
          const expected = Math.min(...sources.map((src) => all[v]![src]!))
          if (expected === Infinity) expect(to[v]).toBe(Infinity)
          else expect(to[v]).toBeCloseTo(expected, 6)
        }
      }),
      { numRuns: 40 },
    )
  })

  it('snaps to the same edge and offset as a search over every segment (property)', () => {
    const g = prepareGraph(randomGraph(7, 8), { minComponentNodes: 1 })
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 800, noNaN: true }),
        fc.double({ min: -50, max: 800, noNaN: true }),
        (px, py) => {
          const s = snap(g, px, py, 10_000)
          const b = snapBrute(g, px, py)
          expect(s?.distance).toBeCloseTo(b.distance, 6)
          if (s && s.edge === b.edge) expect(s.offset).toBeCloseTo(b.offset, 6)
        },
      ),
      { numRuns: 300 },
    )
    expect(snap(g, -5000, -5000, 100)).toBeUndefined()
  })

  it('gives the network distance a brute force gives, never shorter than the straight line (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 600, noNaN: true }),
            fc.double({ min: 0, max: 600, noNaN: true }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 600, noNaN: true }),
            fc.double({ min: 0, max: 600, noNaN: true }),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        (seed, originXy, placeXy) => {
          const g = prepareGraph(randomGraph(seed, 7), { minComponentNodes: 1 })
          const origins = pts(originXy)
          const places = pts(placeXy)
          const net = networkReach(g, origins, places, { snapLimitM: 10_000 })
          const line = straightLine().measure(origins, places)
          const all = floydWarshall(g)
          const ends = (
            s: { edge: number; offset: number; distance: number },
            leaving: boolean,
          ) => {
            // [node, metres between the point and the node], in the direction of travel.
            const len = g.length[s.edge]!
            const a = g.source[s.edge]!
            const b = g.target[s.edge]!
            const toA = s.offset === 0 || (leaving ? g.reverseCost : g.cost)[s.edge] !== Infinity
            const toB = s.offset === len || (leaving ? g.cost : g.reverseCost)[s.edge] !== Infinity
            return [
              ...(toA ? [[a, s.offset] as const] : []),
              ...(toB ? [[b, len - s.offset] as const] : []),
            ]
          }
          const placeSnaps = placeXy.map(([x, y]) => snapBrute(g, x, y))
          originXy.forEach(([x, y], i) => {
            const o = snapBrute(g, x, y)
            let best = Infinity
            for (const p of placeSnaps) {
              for (const [u, du] of ends(o, true))
                for (const [v, dv] of ends(p, false))
                  best = Math.min(best, o.distance + du + all[u]![v]! + dv + p.distance)
              if (p.edge === o.edge) {
                const forward = p.offset >= o.offset
                const ok =
                  p.offset === o.offset || (forward ? g.cost : g.reverseCost)[o.edge] !== Infinity
                if (ok)
                  best = Math.min(best, o.distance + Math.abs(p.offset - o.offset) + p.distance)
              }
            }
            const got = net.nearest[i]!
            if (best === Infinity) {
              expect(got).toBe(Infinity)
              expect(net.unreachable[i]).toBe(UNREACHABLE.noPlaceReachable)
            } else {
              expect(got).toBeCloseTo(best, 6)
              expect(got).toBeGreaterThanOrEqual(line.nearest[i]! - 1e-9)
            }
            // Counts within 1/3/5 km agree with the brute force per place.
            RADII.forEach((r, k) => {
              const expected = placeSnaps.filter((p) => {
                let d = Infinity
                for (const [u, du] of ends(o, true))
                  for (const [v, dv] of ends(p, false))
                    d = Math.min(d, o.distance + du + all[u]![v]! + dv + p.distance)
                if (p.edge === o.edge) {
                  const ok =
                    p.offset === o.offset ||
                    (p.offset >= o.offset ? g.cost : g.reverseCost)[o.edge] !== Infinity
                  if (ok) d = Math.min(d, o.distance + Math.abs(p.offset - o.offset) + p.distance)
                }
                return d <= r
              }).length
              expect(net.within[k]![i]).toBe(expected)
            })
          })
        },
      ),
      { numRuns: 60 },
    )
  })

  it('puts an origin and a place that snap to the same vertex at their snap distances, even on a one-way edge', () => {
    // A V-shaped edge that may only be travelled backwards; both points lie above its apex.
    const g = prepareGraph(
      {
        nodeCount: 2,
        nodeX: Float64Array.of(0, 200),
        nodeY: Float64Array.of(0, 0),
        source: Int32Array.of(0),
        target: Int32Array.of(1),
        cost: Float64Array.of(Infinity),
        reverseCost: Float64Array.of(2 * Math.hypot(100, 100)),
        snappable: Uint8Array.of(1),
        geomStart: Int32Array.of(0, 3),
        x: Float64Array.of(0, 100, 200),
        y: Float64Array.of(0, 100, 0),
      },
      { minComponentNodes: 1 },
    )
    const net = networkReach(g, pts([[100, 130]]), pts([[100, 150]]), { snapLimitM: 500 })
    expect(net.nearest[0]).toBeCloseTo(80, 9)
    expect(net.within[0][0]).toBe(1)
  })

  it('reports a point beyond the snapping limit as off the network, and the detour as a ratio', () => {
    const g = prepareGraph(randomGraph(3, 5), { minComponentNodes: 1 })
    const origins = pts([
      [200, 200],
      [5000, 5000],
    ])
    const places = pts([[10, 10]])
    const net = networkReach(g, origins, places, { snapLimitM: 300 })
    expect(net.unreachable[1]).toBe(UNREACHABLE.noPathNearby)
    expect(net.nearest[1]).toBe(Infinity)
    const line = straightLine().measure(origins, places)
    const factors = detourFactors(net, line)
    expect(factors[0]).toBeGreaterThanOrEqual(1)
    expect(Number.isNaN(factors[1])).toBe(true)
  })
})

describe('OpenStreetMap places', () => {
  const label = (k: string) => `label:${k}`
  it('maps tags to kinds and fields, and names an unnamed bench by its kind', () => {
    const cafe = placeFromTags(
      {
        amenity: 'cafe',
        name: 'De Kern',
        'addr:street': 'Markt',
        'addr:housenumber': '1',
        'addr:postcode': '8232 AA',
        'addr:city': 'Lelystad',
        wheelchair: 'limited',
        fee: 'no',
        opening_hours: 'Mo-Fr 09:00-17:00',
      },
      label,
    )
    expect(cafe).toMatchObject({
      kind: 'cafe',
      name: 'De Kern',
      address: 'Markt 1, 8232 AA Lelystad',
      wheelchair: 'limited',
      free_entry: true,
      opening_hours: 'Mo-Fr 09:00-17:00',
    })
    expect(placeFromTags({ amenity: 'bench' }, label)).toMatchObject({
      kind: 'bench',
      name: 'label:bench',
      unnamed: true,
    })
    expect(placeFromTags({ amenity: 'community_centre', access: 'private' }, label)).toBeUndefined()
    expect(placeFromTags({ leisure: 'garden' }, label)).toBeUndefined()
    expect(placeFromTags({ leisure: 'garden', access: 'yes' }, label)?.kind).toBe('shared_garden')
    expect(placeFromTags({ shop: 'bakery' }, label)).toBeUndefined()
  })

  it('replaces text PostgreSQL cannot store, says which fields, and never cuts a surrogate pair', () => {
    const place = placeFromTags(
      {
        amenity: 'cafe',
        name: `${'a'.repeat(199)}😀`,
        description: 'lekker \udfff',
        opening_hours: 'Mo-Fr 09:00-17:00\u0000',
        operator: 'Stichting Kern',
      },
      label,
    )
    expect(place).toMatchObject({
      name: 'a'.repeat(199),
      description: 'lekker \ufffd',
      opening_hours: 'Mo-Fr 09:00-17:00',
      organisation: 'Stichting Kern',
      cleaned: ['description', 'opening_hours'],
    })
  })

  it('merges three ways: OSM changes apply, people’s edits stay, both changed is a conflict', () => {
    const eq = (a: string, b: string) => a === b
    expect(mergeField('a', 'a', 'b', eq)).toEqual({ take: 'osm', value: 'b' })
    expect(mergeField('a', 'mine', 'a', eq)).toEqual({ take: 'buurtkaart', conflict: false })
    expect(mergeField('a', 'mine', 'b', eq)).toEqual({ take: 'buurtkaart', conflict: true })
    expect(mergeField('a', 'b', 'b', eq)).toEqual({ take: 'buurtkaart', conflict: false })
    expect(mergeField(undefined, 'x', 'y', eq)).toEqual({ take: 'buurtkaart', conflict: true })
  })
})
