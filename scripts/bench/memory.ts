/**
 * Memory figures for the scaling notes (docs/scaling.md): how much the analysis holds in memory.
 *
 * `typedArrayBytes` is exact for structures made of typed arrays (the engine's point sets, the
 * network graph). `retainedHeap` is the growth of the V8 heap (plus array buffers) across a
 * function whose result is kept: exact enough for object structures such as the population
 * surface when the process runs with `--expose-gc` (npm run bench does), rougher without it.
 */

/** Bytes of every typed array reachable from `value` (each buffer view counted once). */
export function typedArrayBytes(value: unknown): number {
  const seen = new Set<unknown>()
  let bytes = 0
  const visit = (v: unknown) => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return
    seen.add(v)
    if (ArrayBuffer.isView(v)) {
      bytes += v.byteLength
      return
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child)
  }
  visit(value)
  return bytes
}

const gc = (globalThis as { gc?: () => void }).gc
function used(): number {
  gc?.()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/**
 * Lets memory that is already garbage go before a measurement starts: a closed PGlite's
 * WebAssembly memory (hundreds of MiB of array buffers) is released by a later collection, and
 * counted before but not after `make` it hid the surface's growth (the bench once wrote 0 MiB).
 */
export async function settleHeap(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc?.()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Runs `make` and returns its result with the heap growth it left behind (bytes). */
export function retainedHeap<T>(make: () => T): [T, number, boolean] {
  const before = used()
  const result = make()
  return [result, Math.max(0, used() - before), gc !== undefined]
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`
