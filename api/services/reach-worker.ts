import { parentPort } from 'node:worker_threads'
import { straightLine } from '../domain/reach.js'

/** A slice of a straight-line reach job; every array lives in shared memory. */
export interface ReachJob {
  readonly id: number
  readonly from: number
  readonly to: number
  readonly bucketM: readonly [number, number]
  readonly ox: SharedArrayBuffer
  readonly oy: SharedArrayBuffer
  readonly px: SharedArrayBuffer
  readonly py: SharedArrayBuffer
  readonly nearest: SharedArrayBuffer
  readonly within: readonly [SharedArrayBuffer, SharedArrayBuffer, SharedArrayBuffer]
}

const port = parentPort
if (!port) throw new Error('reach-worker runs as a worker thread')

port.on('message', (job: ReachJob) => {
  const origins = {
    x: new Float64Array(job.ox).subarray(job.from, job.to),
    y: new Float64Array(job.oy).subarray(job.from, job.to),
    lon: new Float64Array(0),
    lat: new Float64Array(0),
  }
  const places = {
    x: new Float64Array(job.px),
    y: new Float64Array(job.py),
    lon: new Float64Array(0),
    lat: new Float64Array(0),
  }
  const reach = straightLine(...job.bucketM).measure(origins, places)
  new Float64Array(job.nearest).set(reach.nearest, job.from)
  job.within.forEach((buffer, k) =>
    new Int32Array(buffer).set(reach.within[k] as Int32Array, job.from),
  )
  port.postMessage(job.id)
})
