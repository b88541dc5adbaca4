/**
 * Where should the next meeting place go? Greedy maximal covering (Church & ReVelle): pick the
 * site that brings the most uncovered inhabitants within the threshold, count those as covered,
 * repeat k times. Greedy is within 1 − 1/e of the best possible choice (the objective is
 * submodular), and each pick's gain never exceeds the one before. Lazy evaluation (CELF) keeps
 * it fast: a candidate's gain is only recomputed when it could still be the best.
 */

export interface Candidate {
  /** Cells this candidate would bring within the threshold. */
  readonly covers: Int32Array
}

export interface Pick {
  /** Index into the candidates. */
  readonly candidate: number
  /** Inhabitants newly within the threshold because of this pick (after the earlier picks). */
  readonly gain: number
}

/**
 * `weight[c]` is what covering cell c is worth (its uncovered inhabitants; 0 when already
 * covered). Stops early when nothing more can be gained. Ties go to the lower candidate index.
 */
export function greedyCover(
  candidates: readonly Candidate[],
  weight: ArrayLike<number>,
  k: number,
): Pick[] {
  const covered = new Uint8Array(weight.length)
  const gainOf = (c: number) => {
    let g = 0
    const cells = (candidates[c] as Candidate).covers
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as number
      if (!covered[cell]) g += weight[cell] as number
    }
    return g
  }
  // A max-heap on (gain, -index) of upper bounds, with the round each bound was computed in.
  const bound = candidates.map((_, c) => gainOf(c))
  const round = new Int32Array(candidates.length).fill(1)
  const heap = candidates.map((_, c) => c)
  const above = (a: number, b: number) =>
    (bound[a] as number) > (bound[b] as number) ||
    ((bound[a] as number) === (bound[b] as number) && a < b)
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let top = i
      if (l < heap.length && above(heap[l] as number, heap[top] as number)) top = l
      if (r < heap.length && above(heap[r] as number, heap[top] as number)) top = r
      if (top === i) return
      ;[heap[i], heap[top]] = [heap[top] as number, heap[i] as number]
      i = top
    }
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i)

  const picks: Pick[] = []
  for (let r = 1; picks.length < k && heap.length > 0;) {
    const c = heap[0] as number
    if (round[c] !== r) {
      // Stale bound: recompute; it can only have gone down.
      bound[c] = gainOf(c)
      round[c] = r
      down(0)
      continue
    }
    if ((bound[c] as number) <= 0) break
    picks.push({ candidate: c, gain: bound[c] as number })
    for (const cell of (candidates[c] as Candidate).covers) covered[cell] = 1
    heap[0] = heap[heap.length - 1] as number
    heap.pop()
    down(0)
    r++
  }
  return picks
}
