import os from 'node:os'
import { Piscina } from 'piscina'
import { serviceUnavailable } from '../../domain/errors.js'
import { PROBLEM } from '../../domain/messages.js'
import { runTask, TaskState, type Result, type Task } from './tasks.js'

/**
 * Where heavy analysis runs. The service uses a pool of worker threads (piscina: a maintained
 * pool with a bounded queue and abortable tasks, rather than one more hand-written pool), so a
 * request that computes for seconds never holds up the event loop: health checks, lists, tiles
 * and sign-ins keep being answered. Work is queued with a limit; a request that finds the queue
 * full, or runs past its time, is told to come back (503 with Retry-After).
 */
export interface Compute {
  run<T extends Task>(task: T): Promise<Result<T>>
  /** Threads that run tasks (1 for the in-thread executor). */
  readonly threads: number
  /**
   * Throws the 503 `busy` problem when the queue is full, so a heavy request is turned away
   * before it spends anything on the event loop (reading data, preparing its task).
   */
  admit(): void
  close(): Promise<void>
}

export interface ComputeOptions {
  /** Worker threads (default: one per core, at most 4). */
  readonly threads?: number
  /** Tasks that may wait for a thread (default: 4 per thread); more are refused at once. */
  readonly maxQueue?: number
  /** Longest a task may take, waiting included, before it is given up (ms). */
  readonly maxTaskMs?: number
}

/** Seconds a client is asked to wait before trying a refused heavy request again. */
export const BUSY_RETRY_AFTER_S = 10

export const busy = () =>
  serviceUnavailable(PROBLEM.analysisBusy(BUSY_RETRY_AFTER_S), {
    extra: { reason: 'analysis_queue_full', retry_after: BUSY_RETRY_AFTER_S },
  })

export const tooSlow = () =>
  serviceUnavailable(PROBLEM.analysisTooSlow(BUSY_RETRY_AFTER_S), {
    extra: { reason: 'analysis_time_budget', retry_after: BUSY_RETRY_AFTER_S },
  })

/** A task's error as it crosses back from a thread: a plain Error with the message kept. */
const isBudgetError = (e: unknown) => e instanceof Error && e.message.startsWith('budget_exceeded')

/**
 * The worker threads' entry: the built JavaScript beside this file, or from source (tests, `npm
 * run dev`) a bootstrap that registers tsx first, since threads do not inherit its loader.
 */
const WORKER_FILE = new URL(
  import.meta.url.endsWith('.ts') ? './worker.mjs' : './worker.js',
  import.meta.url,
).href

export const DEFAULT_MAX_TASK_MS = 20_000

/** The worker-thread pool the service uses. Threads start on the first task. */
export function workerCompute(options: ComputeOptions = {}): Compute {
  const threads = Math.max(1, options.threads ?? Math.min(4, os.availableParallelism()))
  const maxTaskMs = options.maxTaskMs ?? DEFAULT_MAX_TASK_MS
  const maxQueue = options.maxQueue ?? 4 * threads
  let pool: Piscina | undefined
  const start = () =>
    (pool ??= new Piscina({
      filename: WORKER_FILE,
      minThreads: threads,
      maxThreads: threads,
      // Threads keep their site indexes between tasks: never retire an idle one.
      idleTimeout: Infinity,
      maxQueue,
      name: 'default',
    }))
  return {
    threads,
    admit() {
      if (pool && pool.queueSize >= maxQueue) throw busy()
    },
    async run<T extends Task>(task: T): Promise<Result<T>> {
      const p = start()
      if (p.queueSize >= maxQueue) throw busy()
      try {
        // A backstop past the task's own budget: a task stuck in a loop loses its thread.
        return (await p.run(task, { signal: AbortSignal.timeout(maxTaskMs + 5_000) })) as Result<T>
      } catch (e) {
        if (isBudgetError(e)) throw tooSlow()
        if (e instanceof Error && /queue is at limit/i.test(e.message)) throw busy()
        if (e instanceof Error && e.name === 'AbortError') throw tooSlow()
        throw e
      }
    },
    async close() {
      await pool?.close({ force: true })
      pool = undefined
    },
  }
}

/** The same tasks on the calling thread: for tests and command-line scripts. */
export function inlineCompute(): Compute {
  const state = new TaskState()
  return {
    threads: 1,
    admit() {},
    run<T extends Task>(task: T): Promise<Result<T>> {
      try {
        return Promise.resolve(runTask(task, state))
      } catch (e) {
        return Promise.reject(isBudgetError(e) ? tooSlow() : (e as Error))
      }
    },
    close: () => Promise.resolve(),
  }
}
