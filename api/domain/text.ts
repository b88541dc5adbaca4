import type { FieldError } from './errors.js'
import { FIELD, type Bilingual } from './messages.js'
import { toPointer } from './validation.js'

/** Why a string cannot be stored as it is, with the message a person gets. */
export interface UnstorableText {
  readonly code: 'control_character' | 'invalid_text'
  readonly message: Bilingual
}

const NUL: UnstorableText = {
  code: 'control_character',
  message: FIELD.nulCharacter,
}

const LONE_SURROGATE: UnstorableText = {
  code: 'invalid_text',
  message: FIELD.loneSurrogate,
}

/**
 * A code point of category Cs in a `u` regex is a surrogate without its other half: the test of
 * `String.prototype.isWellFormed` (ES2024, beyond this project's `lib`).
 */
const LONE_SURROGATE_PATTERN = /\p{Cs}/u

/**
 * Why `text` cannot be stored faithfully, or undefined when it can. PostgreSQL refuses NUL in
 * text and JSON (an error, once a 500); a lone surrogate has no UTF-8 form and would silently
 * become U+FFFD.
 */
export function unstorableText(text: string): UnstorableText | undefined {
  if (text.includes('\u0000')) return NUL
  if (LONE_SURROGATE_PATTERN.test(text)) return LONE_SURROGATE
  return undefined
}

/** One step of a JSON Pointer, linked to its parent so that deep values share their prefix. */
interface PathNode {
  readonly key: string
  readonly parent: PathNode | undefined
}

function pointerOf(node: PathNode | undefined): string {
  const keys: string[] = []
  for (let n = node; n; n = n.parent) keys.push(n.key)
  return toPointer(keys.reverse())
}

/**
 * Every string in a parsed JSON value — values and member names — that cannot be stored, as field
 * errors whose pointer (RFC 6901) addresses it; at most `limit`. Walks with its own stack, so a
 * deeply nested body cannot overflow the call stack.
 */
export function unstorableStrings(value: unknown, limit = 20): FieldError[] {
  const found: FieldError[] = []
  const stack: { value: unknown; at: PathNode | undefined }[] = [{ value, at: undefined }]
  while (stack.length > 0 && found.length < limit) {
    const { value: v, at } = stack.pop() as (typeof stack)[number]
    if (typeof v === 'string') {
      const why = unstorableText(v)
      if (why) found.push({ pointer: pointerOf(at), code: why.code, message: why.message })
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i], at: { key: String(i), parent: at } })
      }
    } else if (v !== null && typeof v === 'object') {
      const members = Object.entries(v).map(([key, child]) => ({
        value: child as unknown,
        at: { key, parent: at },
      }))
      for (const { at: node } of members) {
        const why = unstorableText(node.key)
        if (why) found.push({ pointer: pointerOf(node), code: why.code, message: why.message })
      }
      for (let i = members.length - 1; i >= 0; i--)
        stack.push(members[i] as (typeof members)[number])
    }
  }
  return found.slice(0, limit)
}
