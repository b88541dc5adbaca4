import { emptyReach, RADII, type Points, type Reach } from '../reach.js'
import { dijkstra, Heap, snap, type Graph, type Snap } from './graph.js'

/** Why a cell has no network distance. */
export const UNREACHABLE = {
  /** Reached: a finite distance. */
  none: 0,
  /** No usable path within the snapping limit of the cell's centre. */
  noPathNearby: 1,
  /** On the network, but no counted place can be reached from there. */
  noPlaceReachable: 2,
} as const

export interface NetworkReach extends Reach {
  /** Per origin, a code of `UNREACHABLE`. */
  readonly unreachable: Uint8Array
  /** Places that lie farther than the snapping limit from any usable path (left out). */
  readonly placesOffNetwork: number
}

interface Attached {
  /** Per node, the origins on its edges: origin[start[v]] … with the extra metres to reach v. */
  readonly start: Int32Array
  readonly origin: Int32Array
  readonly extra: Float64Array
}

/**
 * The cost of travelling from a point on an edge to the edge's ends: to the source against the
 * edge's direction (needs `reverseCost`), to the target along it (needs `cost`).
 */
function toEnds(graph: Graph, s: Snap): [number, number] {
  const length = graph.length[s.edge] as number
  // At an end already, direction does not matter.
  const toSource = s.offset === 0 ? 0 : graph.reverseCost[s.edge] === Infinity ? Infinity : s.offset
  const toTarget =
    s.offset === length ? 0 : graph.cost[s.edge] === Infinity ? Infinity : length - s.offset
  return [toSource, toTarget]
}

/** Metres from origin point `o` to place point `p` along their shared edge, or Infinity. */
function alongEdge(graph: Graph, o: Snap, p: Snap): number {
  // The same point (both snapped to one vertex): no travel, whatever the edge's direction.
  if (p.offset === o.offset) return 0
  if (p.offset > o.offset) {
    return graph.cost[o.edge] === Infinity ? Infinity : p.offset - o.offset
  }
  return graph.reverseCost[o.edge] === Infinity ? Infinity : o.offset - p.offset
}

function attach(graph: Graph, snaps: readonly (Snap | undefined)[]): Attached {
  const n = graph.nodeCount
  const start = new Int32Array(n + 1)
  const bump = (v: number) => {
    start[v + 1] = (start[v + 1] as number) + 1
  }
  for (const s of snaps) {
    if (!s) continue
    bump(graph.source[s.edge] as number)
    bump(graph.target[s.edge] as number)
  }
  for (let v = 0; v < n; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number)
  const fill = start.slice(0, n)
  const origin = new Int32Array(start[n] as number)
  const extra = new Float64Array(start[n] as number)
  const put = (v: number, o: number, metres: number) => {
    const slot = fill[v] as number
    fill[v] = slot + 1
    origin[slot] = o
    extra[slot] = metres
  }
  snaps.forEach((s, o) => {
    if (!s) return
    const [toSource, toTarget] = toEnds(graph, s)
    put(graph.source[s.edge] as number, o, s.distance + toSource)
    put(graph.target[s.edge] as number, o, s.distance + toTarget)
  })
  return { start, origin, extra }
}

/** Seeds of a place for a Dijkstra over `graph.in`: the cost from each end of its edge to it. */
function seedsOf(graph: Graph, p: Snap) {
  const length = graph.length[p.edge] as number
  const seeds = []
  // From the source, travel along the edge to the place; from the target, against it. A place
  // at an end of its edge is at that node, whatever the edge's direction.
  if (p.offset === 0 || graph.cost[p.edge] !== Infinity) {
    seeds.push({ node: graph.source[p.edge] as number, distance: p.distance + p.offset })
  }
  if (p.offset === length || graph.reverseCost[p.edge] !== Infinity) {
    seeds.push({ node: graph.target[p.edge] as number, distance: p.distance + length - p.offset })
  }
  return seeds
}

/**
 * Network distance from every origin to its nearest place, and the number of places within
 * 1, 3 and 5 km over the network. Origins and places are snapped to the nearest usable edge
 * (the snap distance is added; beyond `snapLimitM` an origin is unreachable, a place is left
 * out). One multi-source Dijkstra over the reversed graph gives every node its cost to the
 * nearest place; an origin reads it from both ends of its edge. The counts come from one
 * Dijkstra per place, bounded at 5 km. Coordinates: RD New metres.
 */
export function networkReach(
  graph: Graph,
  origins: Points,
  places: Points,
  opts: { snapLimitM: number },
): NetworkReach {
  const n = origins.x.length
  const { nearest, within } = emptyReach(n)
  const unreachable = new Uint8Array(n)
  const originSnaps: (Snap | undefined)[] = new Array<Snap | undefined>(n)
  for (let i = 0; i < n; i++) {
    originSnaps[i] = snap(graph, origins.x[i] as number, origins.y[i] as number, opts.snapLimitM)
    if (!originSnaps[i]) unreachable[i] = UNREACHABLE.noPathNearby
  }
  const placeSnaps: Snap[] = []
  let placesOffNetwork = 0
  for (let j = 0; j < places.x.length; j++) {
    const s = snap(graph, places.x[j] as number, places.y[j] as number, opts.snapLimitM)
    if (s) placeSnaps.push(s)
    else placesOffNetwork++
  }
  const byEdge = new Map<number, Snap[]>()
  for (const p of placeSnaps) {
    const list = byEdge.get(p.edge)
    if (list) list.push(p)
    else byEdge.set(p.edge, [p])
  }

  const dist = new Float64Array(graph.nodeCount).fill(Infinity)
  dijkstra(
    graph.in,
    placeSnaps.flatMap((p) => seedsOf(graph, p)),
    dist,
  )
  for (let i = 0; i < n; i++) {
    const o = originSnaps[i]
    if (!o) continue
    const [toSource, toTarget] = toEnds(graph, o)
    let best = Math.min(
      toSource + (dist[graph.source[o.edge] as number] as number),
      toTarget + (dist[graph.target[o.edge] as number] as number),
    )
    for (const p of byEdge.get(o.edge) ?? []) {
      best = Math.min(best, alongEdge(graph, o, p) + p.distance)
    }
    best += o.distance
    nearest[i] = best
    if (best === Infinity) unreachable[i] = UNREACHABLE.noPlaceReachable
  }

  countWithin(graph, originSnaps, placeSnaps, within)
  return { nearest, within, unreachable, placesOffNetwork }
}

/**
 * Searches from sites (places, or places that do not exist yet) to origins: the origins are
 * attached to the nodes of their edges once; each search is one Dijkstra over the reversed graph
 * bounded at `maxM`, plus the origins on the site's own edge. Reuses its buffers between searches.
 */
export function originSearch(graph: Graph, originSnaps: readonly (Snap | undefined)[]) {
  const attached = attach(graph, originSnaps)
  const onEdge = new Map<number, number[]>()
  originSnaps.forEach((s, i) => {
    if (!s) return
    const list = onEdge.get(s.edge)
    if (list) list.push(i)
    else onEdge.set(s.edge, [i])
  })
  const dist = new Float64Array(graph.nodeCount).fill(Infinity)
  const best = new Float64Array(originSnaps.length).fill(Infinity)
  const heap = new Heap()
  return {
    /** Origins within `maxM` of the snapped site, with their route length to it. */
    around(site: Snap, maxM: number): { origins: Int32Array; metres: Float64Array } {
      const touched: number[] = []
      const offer = (o: number, metres: number) => {
        if (metres > maxM) return
        if (best[o] === Infinity) touched.push(o)
        if (metres < (best[o] as number)) best[o] = metres
      }
      const settled = dijkstra(graph.in, seedsOf(graph, site), dist, maxM, heap)
      for (const v of settled) {
        const dv = dist[v] as number
        for (let k = attached.start[v] as number; k < (attached.start[v + 1] as number); k++) {
          offer(attached.origin[k] as number, dv + (attached.extra[k] as number))
        }
      }
      for (const o of onEdge.get(site.edge) ?? []) {
        const s = originSnaps[o] as Snap
        offer(o, s.distance + alongEdge(graph, s, site) + site.distance)
      }
      for (const v of settled) dist[v] = Infinity
      const metres = new Float64Array(touched.length)
      touched.forEach((o, k) => {
        metres[k] = best[o] as number
        best[o] = Infinity
      })
      return { origins: Int32Array.from(touched), metres }
    },
  }
}

function countWithin(
  graph: Graph,
  originSnaps: readonly (Snap | undefined)[],
  placeSnaps: readonly Snap[],
  within: readonly [Int32Array, Int32Array, Int32Array],
): void {
  const R = RADII[RADII.length - 1] as number
  const search = originSearch(graph, originSnaps)
  for (const p of placeSnaps) {
    const near = search.around(p, R)
    for (let k = 0; k < near.origins.length; k++) {
      const o = near.origins[k] as number
      const d = near.metres[k] as number
      for (let r = 0; r < RADII.length; r++) {
        if (d <= (RADII[r] as number)) {
          const counts = within[r] as Int32Array
          counts[o] = (counts[o] as number) + 1
        }
      }
    }
  }
}

/** Below this straight-line distance (m) a detour factor says nothing (a place next door). */
export const DETOUR_MIN_LINE_M = 100

/**
 * Detour factor per origin: network distance ÷ straight-line distance to the nearest place
 * (each its own nearest). NaN where either is unreachable or the straight line is shorter than
 * `DETOUR_MIN_LINE_M`.
 */
export function detourFactors(network: Reach, line: Reach): Float64Array {
  const out = new Float64Array(network.nearest.length)
  for (let i = 0; i < out.length; i++) {
    const n = network.nearest[i] as number
    const l = line.nearest[i] as number
    out[i] = Number.isFinite(n) && Number.isFinite(l) && l >= DETOUR_MIN_LINE_M ? n / l : NaN
  }
  return out
}

/**
 * The inhabitant-weighted mean detour factor of a selection of (cell, inhabitants) portions, over
 * the portions whose cell has a factor; null when none has.
 */
export function meanDetour(
  selection: { readonly cell: Int32Array; readonly inhabitants: ArrayLike<number> },
  factors: Float64Array,
): { readonly mean: number | null; readonly inhabitants: number } {
  let sum = 0
  let weight = 0
  for (let k = 0; k < selection.cell.length; k++) {
    const f = factors[selection.cell[k] as number] as number
    if (Number.isNaN(f)) continue
    const w = selection.inhabitants[k] as number
    sum += f * w
    weight += w
  }
  return { mean: weight > 0 ? sum / weight : null, inhabitants: weight }
}

/** Inhabitants of a selection per reason they have no network distance. */
export function unreachableByReason(
  selection: { readonly cell: Int32Array; readonly inhabitants: ArrayLike<number> },
  reach: NetworkReach,
): { readonly noPathNearby: number; readonly noPlaceReachable: number } {
  let noPath = 0
  let noPlace = 0
  for (let k = 0; k < selection.cell.length; k++) {
    const code = reach.unreachable[selection.cell[k] as number]
    if (code === UNREACHABLE.noPathNearby) noPath += selection.inhabitants[k] as number
    else if (code === UNREACHABLE.noPlaceReachable) noPlace += selection.inhabitants[k] as number
  }
  return { noPathNearby: noPath, noPlaceReachable: noPlace }
}

export function isNetworkReach(reach: Reach): reach is NetworkReach {
  return 'unreachable' in reach
}
