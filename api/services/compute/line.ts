import { straightLine, type DistanceMethod, type Points, type Reach } from '../../domain/reach.js'
import type { Compute } from './pool.js'

const slice = (p: Points, from: number, to: number): Points => ({
  x: p.x.subarray(from, to),
  y: p.y.subarray(from, to),
  lon: p.lon.subarray(from, to),
  lat: p.lat.subarray(from, to),
})

/**
 * The straight-line method on the compute threads: the origins (cells sorted by H3 index, so a
 * slice is a compact region) are split over the threads, each running the same pure
 * `straightLine` on its share. A small job (under `minOrigins` origins: a few milliseconds) runs
 * here, where handing it to a thread would cost more than it saves.
 */
export function computeStraightLine(
  compute: Compute,
  options: { minOrigins?: number; bucketM?: [number, number] } = {},
): DistanceMethod {
  const minOrigins = options.minOrigins ?? 20_000
  const bucketM = options.bucketM ?? [1200, 1000]
  const local = straightLine(...bucketM)
  return {
    mode: 'line',
    async measure(origins: Points, places: Points): Promise<Reach> {
      const n = origins.x.length
      if (n < minOrigins || places.x.length === 0) return local.measure(origins, places)
      const step = Math.ceil(n / compute.threads)
      const parts = await Promise.all(
        Array.from({ length: Math.ceil(n / step) }, (_, t) =>
          compute.run({
            kind: 'lineReach',
            origins: slice(origins, t * step, Math.min(n, (t + 1) * step)),
            places,
            bucketM,
          }),
        ),
      )
      const nearest = new Float64Array(n)
      const within = [new Int32Array(n), new Int32Array(n), new Int32Array(n)] as const
      parts.forEach((part, t) => {
        nearest.set(part.nearest, t * step)
        within.forEach((w, k) => w.set(part.within[k] as Int32Array, t * step))
      })
      return { nearest, within: [within[0], within[1], within[2]] }
    },
  }
}
