/**
 * A tiny store: one value, replaced (never mutated) by `set`, and listeners told about every
 * change with the state before it. A key whose new value equals the old one keeps the old
 * object, so listeners compare with `!==`.
 */
export interface Store<T extends object> {
  get(): T
  set(patch: Partial<T>): void
  /** Calls `listener` after each change; returns the function that stops it. */
  subscribe(listener: (state: T, previous: T) => void): () => void
}

/** Plain data (strings, numbers, booleans, arrays, plain objects, undefined) compared by value. */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial
  /** The state every listener has been told about. */
  let told = initial
  let telling = false
  const listeners = new Set<(state: T, previous: T) => void>()

  /**
   * Tells the listeners, one change at a time: a listener that sets the state again (to keep it
   * consistent) does not interleave, and every listener sees the changes in order.
   */
  function tell() {
    if (telling) return
    telling = true
    try {
      while (told !== state) {
        const previous = told
        const current = state
        told = current
        for (const listener of [...listeners]) listener(current, previous)
      }
    } finally {
      telling = false
    }
  }

  return {
    get: () => state,
    set(patch) {
      const next = { ...state }
      let changed = false
      for (const key of Object.keys(patch) as (keyof T)[]) {
        if (same(state[key], patch[key])) continue
        next[key] = patch[key] as T[keyof T]
        changed = true
      }
      if (!changed) return
      state = next
      tell()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * Only the newest request for one purpose counts: `next()` aborts the request before it and
 * gives the new one its signal. After each await, a request whose signal is aborted stops and
 * applies nothing, so a slow old answer never overwrites a newer one.
 */
export function latest() {
  let current: AbortController | undefined
  return {
    next(): AbortSignal {
      current?.abort()
      current = new AbortController()
      return current.signal
    },
    /** Aborts the current request; nothing is applied until the next one. */
    cancel(): void {
      current?.abort()
      current = undefined
    },
  }
}
