import type { z } from 'zod'
import type { IssueParams } from './asset.js'
import type { FieldError } from './errors.js'
import { VALIDATION as V, type Bilingual } from './messages.js'

/** Builds a JSON Pointer (RFC 6901) from a path of keys, below an optional prefix. */
export function toPointer(path: readonly PropertyKey[], prefix = ''): string {
  return (
    prefix + path.map((k) => '/' + String(k).replaceAll('~', '~0').replaceAll('/', '~1')).join('')
  )
}

function typeName(input: unknown): Bilingual {
  if (input === null) return V.given.null
  if (input === undefined) return V.given.nothing
  if (Array.isArray(input)) return V.given.array
  switch (typeof input) {
    case 'string':
      return V.given.string
    case 'number':
      return V.given.number
    case 'boolean':
      return V.given.boolean
    case 'object':
      return V.given.object
    default:
      return V.literal(typeof input)
  }
}

/** The value at a path in the original input (Zod 4 leaves it out of issues by default). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

function bilingualFor(
  issue: z.core.$ZodIssue,
  input: unknown,
): { code: string; message: Bilingual } {
  const given = valueAt(input, issue.path)
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && given === undefined) {
    return { code: 'required', message: V.required }
  }
  switch (issue.code) {
    case 'invalid_type': {
      const want = V.expected[issue.expected] ?? V.literal(issue.expected)
      return { code: 'invalid_type', message: V.invalidType(want, typeName(given)) }
    }
    case 'unrecognized_keys':
      return {
        code: 'unknown_field',
        message: V.unknownField(issue.keys.join(', ')),
      }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ')
      return { code: 'invalid_value', message: V.oneOf(allowed) }
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const limit = String(small ? issue.minimum : issue.maximum)
      if (issue.origin === 'string') {
        return small && limit === '1'
          ? { code: 'required', message: V.notEmpty }
          : {
              code: small ? 'too_short' : 'too_long',
              message: small ? V.minChars(limit) : V.maxChars(limit),
            }
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return {
          code: small ? 'too_few' : 'too_many',
          message: small ? V.minItems(limit) : V.maxItems(limit),
        }
      }
      return {
        code: 'out_of_range',
        message: small ? V.atLeast(limit) : V.atMost(limit),
      }
    }
    case 'invalid_format':
      return {
        code: 'invalid_format',
        message: issue.format === 'datetime' ? V.dateTime : V.invalidFormat(issue.format),
      }
    case 'not_multiple_of':
      return {
        code: 'invalid_value',
        message: V.multipleOf(String(issue.divisor)),
      }
    case 'custom': {
      const params = issue.params as Partial<IssueParams> | undefined
      if (params?.code && params.nl) {
        return { code: params.code, message: { nl: params.nl, en: issue.message } }
      }
      return { code: 'invalid', message: V.invalid(issue.message) }
    }
    default:
      return { code: 'invalid', message: V.invalid(issue.message) }
  }
}

/**
 * Turns a Zod error into field errors with JSON Pointers below `prefix` and bilingual messages.
 * `input` is the value that was parsed: it tells a missing field from one of the wrong type.
 */
export function zodToFieldErrors(error: z.ZodError, input: unknown, prefix = ''): FieldError[] {
  return error.issues.map((issue) => ({
    pointer: toPointer(issue.path, prefix),
    ...bilingualFor(issue, input),
  }))
}
