import type { GraphInput } from '../../api/domain/network/graph.js'
import type { Points } from '../../api/domain/reach.js'

/** A random graph on a jittered grid: some edges missing, some one-way, some bent. */
export function randomGraph(seed: number, k: number): GraphInput {
  let state = seed
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  const nodeX: number[] = []
  const nodeY: number[] = []
  for (let i = 0; i < k * k; i++) {
    nodeX.push((i % k) * 100 + next() * 30)
    nodeY.push(Math.floor(i / k) * 100 + next() * 30)
  }
  const source: number[] = []
  const target: number[] = []
  const cost: number[] = []
  const reverse: number[] = []
  const geomStart: number[] = []
  const x: number[] = []
  const y: number[] = []
  const add = (a: number, b: number) => {
    if (next() < 0.2) return
    geomStart.push(x.length)
    x.push(nodeX[a]!)
    y.push(nodeY[a]!)
    if (next() < 0.3) {
      x.push((nodeX[a]! + nodeX[b]!) / 2 + (next() - 0.5) * 40)
      y.push((nodeY[a]! + nodeY[b]!) / 2 + (next() - 0.5) * 40)
    }
    x.push(nodeX[b]!)
    y.push(nodeY[b]!)
    let length = 0
    for (let v = geomStart[geomStart.length - 1]!; v < x.length - 1; v++) {
      length += Math.hypot(x[v + 1]! - x[v]!, y[v + 1]! - y[v]!)
    }
    const r = next()
    source.push(a)
    target.push(b)
    cost.push(r < 0.15 ? Infinity : length)
    reverse.push(r > 0.85 ? Infinity : length)
  }
  for (let i = 0; i < k * k; i++) {
    if (i % k < k - 1) add(i, i + 1)
    if (i + k < k * k) add(i, i + k)
  }
  geomStart.push(x.length)
  return {
    nodeCount: k * k,
    nodeX: Float64Array.from(nodeX),
    nodeY: Float64Array.from(nodeY),
    source: Int32Array.from(source),
    target: Int32Array.from(target),
    cost: Float64Array.from(cost),
    reverseCost: Float64Array.from(reverse),
    snappable: new Uint8Array(source.length).fill(1),
    geomStart: Int32Array.from(geomStart),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
  }
}

/** Points from [x, y] pairs (RD metres; no WGS84 position). */
export const pts = (xy: [number, number][]): Points => ({
  x: Float64Array.from(xy, (p) => p[0]),
  y: Float64Array.from(xy, (p) => p[1]),
  lon: new Float64Array(xy.length),
  lat: new Float64Array(xy.length),
})
