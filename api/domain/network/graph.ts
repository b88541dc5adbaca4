import { extent } from '../reach.js'

/**
 * The routable graph of one profile in flat typed arrays: CSR adjacency in both directions,
 * a grid index of edge segments for snapping, and a multi-source Dijkstra. All coordinates are
 * RD New (EPSG:28992) metres; costs are metres (a ferry's cost includes its waiting penalty).
 */

/** The edges of one profile, as loaded from the database or built from a file. */
export interface GraphInput {
  readonly nodeCount: number
  readonly nodeX: Float64Array
  readonly nodeY: Float64Array
  readonly source: Int32Array
  readonly target: Int32Array
  /** Cost source→target; Infinity where not allowed. */
  readonly cost: Float64Array
  /** Cost target→source; Infinity where not allowed. */
  readonly reverseCost: Float64Array
  /** Ferries and other edges a place or a home cannot lie on. */
  readonly snappable: Uint8Array
  /** Vertices of edge e: x/y[geomStart[e]] … x/y[geomStart[e + 1] - 1] (first = source). */
  readonly geomStart: Int32Array
  readonly x: Float64Array
  readonly y: Float64Array
}

/** Compressed sparse rows: the neighbours of node v are to[start[v]] … to[start[v + 1] - 1]. */
export interface Csr {
  readonly start: Int32Array
  readonly to: Int32Array
  readonly cost: Float64Array
}

export interface Graph extends GraphInput {
  /** Out-edges: travel from v to `to` costs `cost`. */
  readonly out: Csr
  /** In-edges: travel from `to` to v costs `cost` (for distances *to* a set of places). */
  readonly in: Csr
  /** Length of each edge along its geometry (m). */
  readonly length: Float64Array
  /** Component (undirected) of each node and the node count of each component. */
  readonly component: Int32Array
  readonly componentSize: Int32Array
  readonly segments: SegmentIndex
}

function csr(n: number, from: Int32Array, to: Int32Array, cost: Float64Array): Csr {
  const start = new Int32Array(n + 1)
  let m = 0
  for (let e = 0; e < from.length; e++) {
    if (cost[e] === Infinity) continue
    const v = (from[e] as number) + 1
    start[v] = (start[v] as number) + 1
    m++
  }
  for (let v = 0; v < n; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number)
  const fill = start.slice(0, n)
  const outTo = new Int32Array(m)
  const outCost = new Float64Array(m)
  for (let e = 0; e < from.length; e++) {
    const c = cost[e] as number
    if (c === Infinity) continue
    const f = from[e] as number
    const slot = fill[f] as number
    fill[f] = slot + 1
    outTo[slot] = to[e] as number
    outCost[slot] = c
  }
  return { start, to: outTo, cost: outCost }
}

/** Both directions of every edge in one CSR: forward with `cost`, backward with `reverseCost`. */
function directed(g: GraphInput, reversed: boolean): Csr {
  const m = g.source.length
  const from = new Int32Array(2 * m)
  const to = new Int32Array(2 * m)
  const cost = new Float64Array(2 * m)
  from.set(reversed ? g.target : g.source, 0)
  to.set(reversed ? g.source : g.target, 0)
  cost.set(g.cost, 0)
  from.set(reversed ? g.source : g.target, m)
  to.set(reversed ? g.target : g.source, m)
  cost.set(g.reverseCost, m)
  return csr(g.nodeCount, from, to, cost)
}

function components(g: GraphInput): { component: Int32Array; componentSize: Int32Array } {
  const parent = new Int32Array(g.nodeCount)
  for (let v = 0; v < g.nodeCount; v++) parent[v] = v
  const find = (v: number): number => {
    while (parent[v] !== v) {
      const p = parent[parent[v] as number] as number
      parent[v] = p
      v = p
    }
    return v
  }
  for (let e = 0; e < g.source.length; e++) {
    if (g.cost[e] === Infinity && g.reverseCost[e] === Infinity) continue
    const a = find(g.source[e] as number)
    const b = find(g.target[e] as number)
    if (a !== b) parent[a] = b
  }
  const component = new Int32Array(g.nodeCount)
  const sizes = new Int32Array(g.nodeCount)
  for (let v = 0; v < g.nodeCount; v++) {
    const r = find(v)
    component[v] = r
    sizes[r] = (sizes[r] as number) + 1
  }
  return { component, componentSize: sizes }
}

/** Builds adjacency, components and the snapping index of a profile's edges. */
export function prepareGraph(input: GraphInput, opts: { minComponentNodes?: number } = {}): Graph {
  const length = new Float64Array(input.source.length)
  for (let e = 0; e < length.length; e++) {
    let sum = 0
    for (let k = input.geomStart[e] as number; k < (input.geomStart[e + 1] as number) - 1; k++) {
      sum += Math.hypot(
        (input.x[k + 1] as number) - (input.x[k] as number),
        (input.y[k + 1] as number) - (input.y[k] as number),
      )
    }
    length[e] = sum
  }
  const { component, componentSize } = components(input)
  const minNodes = opts.minComponentNodes ?? 50
  let largest = 0
  for (let v = 0; v < input.nodeCount; v++) {
    largest = Math.max(largest, componentSize[component[v] as number] as number)
  }
  // Small islands of paths (a garden, a car park) would catch homes that belong to the main
  // network; snap only to components of a useful size (or the largest, on a tiny network).
  const usable = new Uint8Array(input.source.length)
  for (let e = 0; e < usable.length; e++) {
    const size = componentSize[component[input.source[e] as number] as number] as number
    usable[e] =
      input.snappable[e] &&
      (input.cost[e] !== Infinity || input.reverseCost[e] !== Infinity) &&
      (size >= minNodes || size === largest)
        ? 1
        : 0
  }
  return {
    ...input,
    out: directed(input, false),
    in: directed(input, true),
    length,
    component,
    componentSize,
    segments: indexSegments(input, usable),
  }
}

/** A growable binary min-heap of (key, node) pairs; stale entries are skipped by the caller. */
class Heap {
  keys = new Float64Array(1024)
  nodes = new Int32Array(1024)
  size = 0
  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2)
      k.set(this.keys)
      this.keys = k
      const n = new Int32Array(this.size * 2)
      n.set(this.nodes)
      this.nodes = n
    }
    let i = this.size++
    const keys = this.keys
    const nodes = this.nodes
    while (i > 0) {
      const p = (i - 1) >> 1
      const pk = keys[p] as number
      if (pk <= key) break
      keys[i] = pk
      nodes[i] = nodes[p] as number
      i = p
    }
    keys[i] = key
    nodes[i] = node
  }
  /** Removes the minimum; read it from `topKey`/`topNode` before calling. */
  pop(): void {
    const keys = this.keys
    const nodes = this.nodes
    const n = --this.size
    const key = keys[n] as number
    const node = nodes[n] as number
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && (keys[c + 1] as number) < (keys[c] as number)) c++
      if ((keys[c] as number) >= key) break
      keys[i] = keys[c] as number
      nodes[i] = nodes[c] as number
      i = c
    }
    keys[i] = key
    nodes[i] = node
  }
}

export interface Seed {
  readonly node: number
  readonly distance: number
}

/**
 * Dijkstra from many sources at once over `adj`: `dist[v]` becomes the least cost from any seed
 * to v (Infinity where unreached or beyond `maxCost`). With `graph.in` this is every node's cost
 * *to* the nearest seed. `dist` must hold Infinity on entry (or at the nodes listed in `touched`
 * after a previous run, which this resets). Returns the settled nodes in order.
 */
export function dijkstra(
  adj: Csr,
  seeds: readonly Seed[],
  dist: Float64Array,
  maxCost = Infinity,
  heap: Heap = new Heap(),
): Int32Array {
  const settledOrder: number[] = []
  heap.size = 0
  for (const s of seeds) {
    if (s.distance < (dist[s.node] as number) && s.distance <= maxCost) {
      dist[s.node] = s.distance
      heap.push(s.distance, s.node)
    }
  }
  const { start, to, cost } = adj
  while (heap.size > 0) {
    const d = heap.keys[0] as number
    const v = heap.nodes[0] as number
    heap.pop()
    if (d > (dist[v] as number)) continue
    settledOrder.push(v)
    for (let k = start[v] as number, end = start[v + 1] as number; k < end; k++) {
      const w = to[k] as number
      const nd = d + (cost[k] as number)
      if (nd < (dist[w] as number) && nd <= maxCost) {
        dist[w] = nd
        heap.push(nd, w)
      }
    }
  }
  return Int32Array.from(settledOrder)
}

export { Heap }

/** Segments (consecutive vertex pairs) of usable edges in square buckets, for nearest-edge search. */
export interface SegmentIndex {
  readonly minX: number
  readonly minY: number
  readonly size: number
  readonly w: number
  readonly h: number
  /** Segments of bucket b: vertex k (segment k→k+1) = seg[start[b]] … seg[start[b + 1] - 1]. */
  readonly start: Int32Array
  readonly seg: Int32Array
  /** Edge of each vertex (for vertices that start a segment). */
  readonly edgeOf: Int32Array
}

const BUCKET_M = 100

function indexSegments(g: GraphInput, usable: Uint8Array): SegmentIndex {
  const box = g.x.length > 0 ? extent(g.x, g.y) : { minX: 0, minY: 0, maxX: 0, maxY: 0 }
  const { minX, minY, maxX, maxY } = box
  const w = Math.floor((maxX - minX) / BUCKET_M) + 1
  const h = Math.floor((maxY - minY) / BUCKET_M) + 1
  const edgeOf = new Int32Array(g.x.length).fill(-1)
  const start = new Int32Array(w * h + 1)
  const each = (visit: (bucket: number, k: number) => void) => {
    for (let e = 0; e < g.source.length; e++) {
      if (!usable[e]) continue
      for (let k = g.geomStart[e] as number; k < (g.geomStart[e + 1] as number) - 1; k++) {
        const x0 = Math.floor(((g.x[k] as number) - minX) / BUCKET_M)
        const x1 = Math.floor(((g.x[k + 1] as number) - minX) / BUCKET_M)
        const y0 = Math.floor(((g.y[k] as number) - minY) / BUCKET_M)
        const y1 = Math.floor(((g.y[k + 1] as number) - minY) / BUCKET_M)
        for (let by = Math.min(y0, y1); by <= Math.max(y0, y1); by++) {
          for (let bx = Math.min(x0, x1); bx <= Math.max(x0, x1); bx++) visit(by * w + bx, k)
        }
        edgeOf[k] = e
      }
    }
  }
  each((b) => {
    start[b + 1] = (start[b + 1] as number) + 1
  })
  for (let b = 0; b < w * h; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number)
  const fill = start.slice(0, w * h)
  const seg = new Int32Array(start[w * h] as number)
  each((b, k) => {
    const slot = fill[b] as number
    fill[b] = slot + 1
    seg[slot] = k
  })
  return { minX, minY, size: BUCKET_M, w, h, start, seg, edgeOf }
}

/** Where a point meets the network. */
export interface Snap {
  readonly edge: number
  /** Metres along the edge from its source node. */
  readonly offset: number
  /** Metres from the point to the edge. */
  readonly distance: number
}

/**
 * The nearest usable edge to a point within `limitM` metres, or undefined. Searches rings of
 * buckets outwards until the next ring cannot hold anything nearer.
 */
export function snap(graph: Graph, px: number, py: number, limitM: number): Snap | undefined {
  const { minX, minY, size, w, h, start, seg, edgeOf } = graph.segments
  const { x, y } = graph
  const bx = Math.floor((px - minX) / size)
  const by = Math.floor((py - minY) / size)
  let best = limitM * limitM
  let bestK = -1
  let bestT = 0
  const maxRing = Math.ceil(limitM / size) + 1
  for (let r = 0; r <= maxRing; r++) {
    const gap = (r - 1) * size
    if (r > 1 && gap * gap > best) break
    for (let gy = by - r; gy <= by + r; gy++) {
      if (gy < 0 || gy >= h) continue
      const rim = gy === by - r || gy === by + r
      for (let gx = bx - r; gx <= bx + r; gx += rim ? 1 : Math.max(1, 2 * r)) {
        if (gx < 0 || gx >= w) continue
        const b = gy * w + gx
        for (let q = start[b] as number, end = start[b + 1] as number; q < end; q++) {
          const k = seg[q] as number
          const ax = x[k] as number
          const ay = y[k] as number
          const dx = (x[k + 1] as number) - ax
          const dy = (y[k + 1] as number) - ay
          const len2 = dx * dx + dy * dy
          let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
          t = t < 0 ? 0 : t > 1 ? 1 : t
          const qx = ax + t * dx - px
          const qy = ay + t * dy - py
          const d = qx * qx + qy * qy
          if (d < best || (d === best && k < bestK)) {
            best = d
            bestK = k
            bestT = t
          }
        }
      }
    }
  }
  if (bestK < 0) return undefined
  const edge = edgeOf[bestK] as number
  let offset = 0
  for (let k = graph.geomStart[edge] as number; k < bestK; k++) {
    offset += Math.hypot(
      (x[k + 1] as number) - (x[k] as number),
      (y[k + 1] as number) - (y[k] as number),
    )
  }
  offset +=
    bestT *
    Math.hypot(
      (x[bestK + 1] as number) - (x[bestK] as number),
      (y[bestK + 1] as number) - (y[bestK] as number),
    )
  return { edge, offset: Math.min(offset, graph.length[edge] as number), distance: Math.sqrt(best) }
}
