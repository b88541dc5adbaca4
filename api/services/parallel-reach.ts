import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { straightLine, type DistanceMethod, type Points, type Reach } from '../domain/reach.js'
import type { ReachJob } from './reach-worker.js'

export interface ParallelDistanceMethod extends DistanceMethod {
  /** Stops the worker threads. */
  close(): Promise<void>
}

const shared = new WeakMap<Float64Array, SharedArrayBuffer>()

/** A shared copy of a coordinate array, made once per array (surfaces are cached, so reused). */
function toShared(values: Float64Array): SharedArrayBuffer {
  let buffer = shared.get(values)
  if (!buffer) {
    buffer = new SharedArrayBuffer(values.byteLength)
    new Float64Array(buffer).set(values)
    shared.set(values, buffer)
  }
  return buffer
}

/**
 * The straight-line method on several cores: the origins (cells, sorted by H3 index, so each
 * slice is a compact region) are split over worker threads that each run the same pure
 * `straightLine` on their slice and write into shared memory. Small jobs stay on this thread.
 */
export function parallelStraightLine(
  options: { threads?: number; minOrigins?: number; bucketM?: [number, number] } = {},
): ParallelDistanceMethod {
  const threads = options.threads ?? Math.min(4, os.availableParallelism())
  const minOrigins = options.minOrigins ?? 20_000
  const bucketM = options.bucketM ?? [1200, 1000]
  const local = straightLine(...bucketM)
  let workers: Worker[] | undefined
  let nextId = 0
  const pending = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>()

  function pool(): Worker[] {
    if (!workers) {
      workers = Array.from({ length: threads }, () => {
        const worker = new Worker(new URL('./reach-worker.mjs', import.meta.url))
        worker.unref()
        worker.on('message', (id: number) => {
          pending.get(id)?.resolve()
          pending.delete(id)
        })
        worker.on('error', (e) => {
          for (const p of pending.values()) p.reject(e)
          pending.clear()
          workers = undefined
        })
        return worker
      })
    }
    return workers
  }

  return {
    mode: 'line',
    async measure(origins: Points, places: Points): Promise<Reach> {
      const n = origins.x.length
      if (threads < 2 || n < minOrigins || places.x.length === 0)
        return local.measure(origins, places)
      const nearest = new SharedArrayBuffer(n * 8)
      const within = [0, 1, 2].map(() => new SharedArrayBuffer(n * 4)) as [
        SharedArrayBuffer,
        SharedArrayBuffer,
        SharedArrayBuffer,
      ]
      const base = {
        bucketM,
        ox: toShared(origins.x),
        oy: toShared(origins.y),
        px: toShared(places.x),
        py: toShared(places.y),
        nearest,
        within,
      }
      const step = Math.ceil(n / threads)
      await Promise.all(
        pool().map((worker, t) => {
          const job: ReachJob = {
            ...base,
            id: nextId++,
            from: t * step,
            to: Math.min(n, (t + 1) * step),
          }
          return new Promise<void>((resolve, reject) => {
            pending.set(job.id, { resolve, reject })
            worker.postMessage(job)
          })
        }),
      )
      return {
        nearest: new Float64Array(nearest),
        within: [new Int32Array(within[0]), new Int32Array(within[1]), new Int32Array(within[2])],
      }
    },
    async close() {
      const running = workers ?? []
      workers = undefined
      await Promise.all(running.map((w) => w.terminate()))
    },
  }
}
