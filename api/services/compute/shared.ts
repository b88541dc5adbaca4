/**
 * Copies into shared memory (SharedArrayBuffer), so the arrays a task reads — the population
 * surface, a network graph — reach a worker thread without being copied for every task.
 */

type TypedArray = Float64Array | Int32Array | Uint8Array | Uint32Array | Float32Array

/** The same values in a typed array over shared memory (the array itself when it already is). */
export function shared<T extends TypedArray>(values: T): T {
  if (values.buffer instanceof SharedArrayBuffer) return values
  const Ctor = values.constructor as new (buffer: SharedArrayBuffer) => T
  const copy = new Ctor(new SharedArrayBuffer(values.byteLength))
  copy.set(values)
  return copy
}

/**
 * A plain object (a Graph, Points) with every typed array in it, at any depth, moved to shared
 * memory; numbers and other values kept as they are.
 */
export function sharedDeep<T>(value: T): T {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return shared(value as unknown as TypedArray) as unknown as T
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = sharedDeep(v)
  return out as T
}
