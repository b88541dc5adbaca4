import { lonLatToRd } from '../geo.js'
import type { WayRules } from './profiles.js'

/** A way that some profile may use, with its node references in OpenStreetMap order. */
export interface NetworkWay {
  readonly id: number
  readonly refs: ArrayLike<number>
  readonly highway: string
  readonly rules: WayRules
}

/** Node coordinates (WGS84 degrees) by OpenStreetMap node id; undefined when not in the file. */
export type NodeLookup = (osmId: number) => readonly [number, number] | undefined

/** Direction bits per edge and profile: 1 = source→target allowed, 2 = target→source allowed. */
export const FORWARD = 1
export const BACKWARD = 2

/**
 * The routable network: graph nodes are the junctions and ends of ways; an edge is the piece of
 * a way between two graph nodes, with its full geometry. Flat arrays, indexed by edge or node.
 */
export interface BuiltNetwork {
  readonly nodes: {
    readonly osmId: Float64Array
    readonly lon: Float64Array
    readonly lat: Float64Array
  }
  readonly edges: {
    readonly count: number
    readonly wayId: Float64Array
    readonly highway: readonly string[]
    readonly source: Int32Array
    readonly target: Int32Array
    /** Length along the geometry in RD New (EPSG:28992) metres. */
    readonly lengthM: Float64Array
    readonly ferry: Uint8Array
    readonly walk: Uint8Array
    readonly bike: Uint8Array
    /** The vertices of edge e are lon/lat[geomStart[e]] … lon/lat[geomStart[e + 1] - 1]. */
    readonly geomStart: Int32Array
    readonly lon: Float64Array
    readonly lat: Float64Array
  }
  /** Way nodes whose coordinates were not in the file (the way is cut there). */
  readonly missingNodes: number
}

class Growable {
  private data: Float64Array
  length = 0
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity)
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length)
  }
}

const bits = (d: { forward: boolean; backward: boolean } | null) =>
  d ? (d.forward ? FORWARD : 0) | (d.backward ? BACKWARD : 0) : 0

/**
 * Splits ways into edges at every node shared by two ways (or used twice by one) and at way ends.
 * A way is cut at a node without coordinates (counted in `missingNodes`): the stretch before it
 * ends at the last node the file has, the stretch after it starts at the next one.
 */
export function buildNetwork(ways: Iterable<NetworkWay>, lookup: NodeLookup): BuiltNetwork {
  const list = [...ways]
  const uses = new Map<number, number>()
  for (const way of list) {
    for (let i = 0; i < way.refs.length; i++) {
      const id = way.refs[i] as number
      uses.set(id, (uses.get(id) ?? 0) + 1)
    }
  }
  const nodeIndex = new Map<number, number>()
  const nodeOsm = new Growable()
  const nodeLon = new Growable()
  const nodeLat = new Growable()
  const graphNode = (id: number, lon: number, lat: number) => {
    let n = nodeIndex.get(id)
    if (n === undefined) {
      n = nodeOsm.length
      nodeIndex.set(id, n)
      nodeOsm.push(id)
      nodeLon.push(lon)
      nodeLat.push(lat)
    }
    return n
  }

  const wayId = new Growable()
  const highway: string[] = []
  const source = new Growable()
  const target = new Growable()
  const lengthM = new Growable()
  const ferry = new Growable()
  const walk = new Growable()
  const bike = new Growable()
  const geomStart = new Growable()
  const vLon = new Growable()
  const vLat = new Growable()
  let missing = 0

  for (const way of list) {
    const walkBits = bits(way.rules.walk)
    const bikeBits = bits(way.rules.bike)
    if (walkBits === 0 && bikeBits === 0) continue
    let start = -1
    let length = 0
    let prevX = 0
    let prevY = 0
    let prevId = 0
    let prevLon = 0
    let prevLat = 0
    const begin = vLon.length
    let pieceStart = begin
    const emit = (end: number) => {
      wayId.push(way.id)
      highway.push(way.highway)
      source.push(start)
      target.push(end)
      lengthM.push(length)
      ferry.push(way.rules.ferry ? 1 : 0)
      walk.push(walkBits)
      bike.push(bikeBits)
      geomStart.push(pieceStart)
    }
    for (let i = 0; i < way.refs.length; i++) {
      const id = way.refs[i] as number
      const at = lookup(id)
      if (!at) {
        missing++
        if (start >= 0 && vLon.length - pieceStart >= 2) {
          // Keep the stretch up to the last node the file has: it ends there.
          emit(graphNode(prevId, prevLon, prevLat))
          pieceStart = vLon.length
        } else {
          vLon.length = pieceStart
          vLat.length = pieceStart
        }
        start = -1
        continue
      }
      const [lon, lat] = at
      const [x, y] = lonLatToRd(lon, lat)
      if (start >= 0) length += Math.hypot(x - prevX, y - prevY)
      vLon.push(lon)
      vLat.push(lat)
      prevX = x
      prevY = y
      prevId = id
      prevLon = lon
      prevLat = lat
      const isEnd = i === 0 || i === way.refs.length - 1
      if (start < 0) {
        start = graphNode(id, lon, lat)
        length = 0
        continue
      }
      if (!isEnd && (uses.get(id) ?? 0) < 2) continue
      const end = graphNode(id, lon, lat)
      emit(end)
      // The next piece starts at this node: repeat its vertex.
      pieceStart = vLon.length
      vLon.push(lon)
      vLat.push(lat)
      start = end
      length = 0
    }
    // Vertices after the last complete piece belong to no edge.
    vLon.length = pieceStart
    vLat.length = pieceStart
  }
  geomStart.push(vLon.length)
  return {
    nodes: { osmId: nodeOsm.toArray(), lon: nodeLon.toArray(), lat: nodeLat.toArray() },
    edges: {
      count: source.length,
      wayId: wayId.toArray(),
      highway,
      source: Int32Array.from(source.toArray()),
      target: Int32Array.from(target.toArray()),
      lengthM: lengthM.toArray(),
      ferry: Uint8Array.from(ferry.toArray()),
      walk: Uint8Array.from(walk.toArray()),
      bike: Uint8Array.from(bike.toArray()),
      geomStart: Int32Array.from(geomStart.toArray()),
      lon: vLon.toArray(),
      lat: vLat.toArray(),
    },
    missingNodes: missing,
  }
}

/** The edges a profile may use (indices into `built.edges`) and how many graph nodes they touch. */
export function profileEdges(
  built: BuiltNetwork,
  profile: 'walk' | 'bike',
): { readonly edges: readonly number[]; readonly nodes: number } {
  const dirs = built.edges[profile]
  const used = new Uint8Array(built.nodes.osmId.length)
  const edges: number[] = []
  let nodes = 0
  for (let e = 0; e < built.edges.count; e++) {
    if (dirs[e] === 0) continue
    edges.push(e)
    for (const v of [built.edges.source[e] as number, built.edges.target[e] as number]) {
      if (!used[v]) {
        used[v] = 1
        nodes++
      }
    }
  }
  return { edges, nodes }
}
