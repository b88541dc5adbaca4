import { appendAudit } from '../../repositories/audit.js'
import { randomUUID } from 'node:crypto'
import { conflict, DomainError } from '../../domain/errors.js'
import { PROBLEM, type ProblemText } from '../../domain/messages.js'
import {
  downloadRegion,
  type DownloadDeps,
  type DownloadOptions,
  type DownloadProgress,
} from './region.js'

export interface DownloadJob {
  readonly id: string
  readonly startedAt: string
  status: 'running' | 'done' | 'failed'
  /** What has happened so far, oldest first (bounded). */
  readonly progress: DownloadProgress[]
  finishedAt?: string
  report?: Awaited<ReturnType<typeof downloadRegion>>
  error?: ProblemText
}

/**
 * Region downloads started from the web app, one at a time, run in the background and read by
 * polling. Kept in memory: a restart forgets them (the downloads themselves are cached on disk).
 */
export function createDownloadJobs(deps: DownloadDeps) {
  const jobs = new Map<string, DownloadJob>()
  let running: DownloadJob | undefined

  return {
    /** Starts a download in the background; `actor` (who asked) goes into the audit log. */
    start(options: Omit<DownloadOptions, 'onProgress'>, actor = 'data-download'): DownloadJob {
      if (running?.status === 'running') {
        throw conflict(PROBLEM.downloadRunning, { extra: { job: running.id } })
      }
      const job: DownloadJob = {
        id: randomUUID(),
        startedAt: new Date().toISOString(),
        status: 'running',
        progress: [],
      }
      jobs.set(job.id, job)
      running = job
      void downloadRegion(deps, {
        ...options,
        onProgress: (p) => {
          job.progress.push(p)
          if (job.progress.length > 200) job.progress.splice(0, job.progress.length - 200)
        },
      }).then(
        async (report) => {
          await appendAudit(deps.db, {
            at: new Date(),
            actor,
            action: 'import.download',
            after: { options: { ...options, onProgress: undefined }, job: job.id },
          }).catch(() => {})
          job.report = report
          job.status = 'done'
          job.finishedAt = new Date().toISOString()
        },
        (e: unknown) => {
          job.status = 'failed'
          job.finishedAt = new Date().toISOString()
          job.error =
            e instanceof DomainError ? { title: e.title, detail: e.detail } : PROBLEM.loadingFailed
        },
      )
      return job
    },
    get: (id: string) => jobs.get(id),
  }
}

export type DownloadJobs = ReturnType<typeof createDownloadJobs>
