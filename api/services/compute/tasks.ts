import type { Selection } from '../../domain/coverage.js'
import type { Graph } from '../../domain/network/graph.js'
import { networkReach, type NetworkReach } from '../../domain/network/reach.js'
import { straightLine, type Points, type Reach } from '../../domain/reach.js'
import { lineSites, networkSites, type SiteReach } from '../../domain/sites.js'
import { greedyCover, type Candidate } from '../../domain/suggest.js'
import {
  gapAreas,
  type GapAreaContext,
  type GapAreaOptions,
  type GapAreaResult,
  type GapCells,
} from '../../domain/gap-areas.js'
import { previewOn, type CellChange, type ScenarioChanges } from '../../domain/scenario.js'

/**
 * The heavy analysis, as tasks that run on the compute pool's worker threads (./pool.ts) so the
 * event loop keeps answering: every input is plain data (typed arrays in shared memory, so
 * handing them to a thread copies nothing), every output too. `runTask` is the one dispatcher,
 * used by the worker threads and by the in-thread executor of tests and scripts alike.
 */

/** Where sites are measured from: the populated cells, by straight line or over a network. */
export interface SitesInput {
  /** Identifies the surface and network, so a thread builds its site index once per version. */
  readonly key: string
  readonly origins: Points
  readonly network?: { readonly graph: Graph; readonly snapLimitM: number } | undefined
}

/** A budget of work for one request: past the deadline the task stops with BudgetExceeded. */
export interface Budget {
  /** Epoch milliseconds. */
  readonly deadline: number
}

export type Task =
  | {
      readonly kind: 'lineReach'
      readonly origins: Points
      readonly places: Points
      readonly bucketM: readonly [number, number]
    }
  | {
      readonly kind: 'networkReach'
      readonly graph: Graph
      readonly origins: Points
      readonly places: Points
      readonly snapLimitM: number
    }
  | {
      readonly kind: 'suggest'
      readonly sites: SitesInput
      /** The area's inhabitants per populated cell (indices into the origins). */
      readonly area: Selection
      /** Today's distance per origin. */
      readonly nearest: Float64Array
      readonly thresholdM: number
      readonly k: number
      /** Cells of the area (the most uncovered inhabitants first), or given sites in RD metres. */
      readonly candidates:
        | { readonly kind: 'cells'; readonly limit: number }
        | { readonly kind: 'sites'; readonly x: Float64Array; readonly y: Float64Array }
      readonly budget: Budget
    }
  | {
      readonly kind: 'gapAreas'
      readonly cells: GapCells
      readonly context: GapAreaContext
      readonly options: GapAreaOptions
    }
  | {
      readonly kind: 'preview'
      readonly sites: SitesInput
      readonly area: { readonly code: string; readonly selection: Selection }
      readonly base: Float64Array
      readonly today: Float64Array
      readonly thresholdM: number
      readonly changes: ScenarioChanges
      readonly budget: Budget
    }

export interface SuggestResult {
  readonly inhabitants: number
  readonly withinToday: number
  readonly candidateCount: number
  /** `candidate`: the origin (cell) index for cell candidates, else the index into the sites. */
  readonly picks: readonly { readonly candidate: number; readonly gain: number }[]
}

export interface PreviewResult {
  readonly inhabitants: number
  readonly withinToday: number
  readonly withinAfter: number
  readonly gained: number
  readonly cells: readonly CellChange[]
}

export type Result<T extends Task> = T extends { kind: 'lineReach' }
  ? Reach
  : T extends { kind: 'networkReach' }
    ? NetworkReach
    : T extends { kind: 'suggest' }
      ? SuggestResult
      : T extends { kind: 'gapAreas' }
        ? GapAreaResult
        : PreviewResult

/**
 * Stops a task that ran past its budget; the pool answers 503 with Retry-After. Recognised by
 * its message, which is what survives the way back from a worker thread.
 */
const checkBudget = (budget: Budget) => {
  if (Date.now() > budget.deadline) throw new Error('budget_exceeded: the request ran out of time')
}

/** Per thread: site indexes by surface and network version (a few, newest kept). */
export class TaskState {
  private readonly sites = new Map<string, SiteReach>()

  siteReach(input: SitesInput): SiteReach {
    let found = this.sites.get(input.key)
    if (!found) {
      found = input.network
        ? networkSites(input.network.graph, input.origins, input.network.snapLimitM)
        : lineSites(input.origins)
      this.sites.set(input.key, found)
      if (this.sites.size > 4) this.sites.delete(this.sites.keys().next().value as string)
    }
    return found
  }
}

/** Inhabitants per cell of a selection (portions of one cell summed). */
export function inhabitantsByCell(selection: Selection): Map<number, number> {
  const out = new Map<number, number>()
  for (let i = 0; i < selection.cell.length; i++) {
    const c = selection.cell[i] as number
    out.set(c, (out.get(c) ?? 0) + (selection.inhabitants[i] as number))
  }
  return out
}

function suggest(task: Extract<Task, { kind: 'suggest' }>, state: TaskState): SuggestResult {
  const byCell = inhabitantsByCell(task.area)
  const weight = new Float64Array(task.nearest.length)
  let uncovered = 0
  let total = 0
  for (const [cell, n] of byCell) {
    total += n
    if (!((task.nearest[cell] as number) <= task.thresholdM)) {
      weight[cell] = n
      uncovered += n
    }
  }
  // Candidate sites as RD points; for cells, the most uncovered inhabitants first.
  let xs: Float64Array
  let ys: Float64Array
  let cellOf: Int32Array | undefined
  if (task.candidates.kind === 'cells') {
    cellOf = Int32Array.from(
      [...byCell.entries()]
        .filter(([, n]) => n > 0)
        .sort(
          (a, b) =>
            (weight[b[0]] as number) - (weight[a[0]] as number) || b[1] - a[1] || a[0] - b[0],
        )
        .slice(0, task.candidates.limit)
        .map(([cell]) => cell),
    )
    xs = Float64Array.from(cellOf, (c) => task.sites.origins.x[c] as number)
    ys = Float64Array.from(cellOf, (c) => task.sites.origins.y[c] as number)
  } else {
    xs = task.candidates.x
    ys = task.candidates.y
  }
  const reach = state.siteReach(task.sites)
  const candidates: Candidate[] = []
  for (let i = 0; i < xs.length; i++) {
    const near = reach.around(xs[i] as number, ys[i] as number, task.thresholdM)
    candidates.push({ covers: near.origins.filter((o) => (weight[o] as number) > 0) })
    if ((i & 63) === 63) checkBudget(task.budget)
  }
  const picks = greedyCover(candidates, weight, task.k)
  return {
    inhabitants: total,
    withinToday: total - uncovered,
    candidateCount: xs.length,
    picks: picks.map((p) => ({
      candidate: cellOf ? (cellOf[p.candidate] as number) : p.candidate,
      gain: p.gain,
    })),
  }
}

/** Runs one task on this thread. */
export function runTask<T extends Task>(task: T, state: TaskState): Result<T> {
  switch (task.kind) {
    case 'lineReach':
      return straightLine(...task.bucketM).measure(
        task.origins,
        task.places,
      ) as unknown as Result<T>
    case 'networkReach':
      return networkReach(task.graph, task.origins, task.places, {
        snapLimitM: task.snapLimitM,
      }) as unknown as Result<T>
    case 'suggest':
      return suggest(task, state) as unknown as Result<T>
    case 'gapAreas':
      return gapAreas(task.cells, task.context, task.options) as unknown as Result<T>
    case 'preview': {
      checkBudget(task.budget)
      const selection = task.area.selection
      const today = { nearest: task.today, within: EMPTY_WITHIN }
      // One array sent twice arrives as one array: no closures, the base is today's reach.
      const base = task.base === task.today ? today : { nearest: task.base, within: EMPTY_WITHIN }
      return previewOn(
        { code: task.area.code, selection, map: inhabitantsByCell(selection) },
        base,
        today,
        state.siteReach(task.sites),
        task.thresholdM,
        task.changes,
      ) as unknown as Result<T>
    }
  }
}

const EMPTY_WITHIN = [new Int32Array(0), new Int32Array(0), new Int32Array(0)] as const
