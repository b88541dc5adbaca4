import type { z } from 'zod'
import type { IssueParams } from './asset.js'
import type { Bilingual, FieldError } from './errors.js'

/** Builds a JSON Pointer (RFC 6901) from a path of keys, below an optional prefix. */
export function toPointer(path: readonly PropertyKey[], prefix = ''): string {
  return (
    prefix + path.map((k) => '/' + String(k).replaceAll('~', '~0').replaceAll('/', '~1')).join('')
  )
}

function typeName(input: unknown): Bilingual {
  if (input === null) return { nl: 'null', en: 'null' }
  if (input === undefined) return { nl: 'niets', en: 'nothing' }
  if (Array.isArray(input)) return { nl: 'een lijst', en: 'an array' }
  switch (typeof input) {
    case 'string':
      return { nl: 'tekst', en: 'a string' }
    case 'number':
      return { nl: 'een getal', en: 'a number' }
    case 'boolean':
      return { nl: 'ja/nee (boolean)', en: 'a boolean' }
    case 'object':
      return { nl: 'een object', en: 'an object' }
    default:
      return { nl: typeof input, en: typeof input }
  }
}

const EXPECTED: Record<string, Bilingual> = {
  string: { nl: 'tekst', en: 'a string' },
  number: { nl: 'een getal', en: 'a number' },
  int: { nl: 'een geheel getal', en: 'an integer' },
  boolean: { nl: 'ja/nee (true of false)', en: 'a boolean (true or false)' },
  array: { nl: 'een lijst', en: 'an array' },
  object: { nl: 'een object', en: 'an object' },
  tuple: { nl: 'een lijst', en: 'an array' },
  null: { nl: 'null', en: 'null' },
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
    return {
      code: 'required',
      message: { nl: 'Dit veld is verplicht.', en: 'This field is required.' },
    }
  }
  switch (issue.code) {
    case 'invalid_type': {
      const want = EXPECTED[issue.expected] ?? { nl: issue.expected, en: issue.expected }
      const got = typeName(given)
      return {
        code: 'invalid_type',
        message: {
          nl: `Verwacht ${want.nl}, maar kreeg ${got.nl}.`,
          en: `Expected ${want.en}, got ${got.en}.`,
        },
      }
    }
    case 'unrecognized_keys':
      return {
        code: 'unknown_field',
        message: {
          nl: `Onbekend veld: ${issue.keys.join(', ')}.`,
          en: `Unknown field: ${issue.keys.join(', ')}.`,
        },
      }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ')
      return {
        code: 'invalid_value',
        message: { nl: `Kies een van: ${allowed}.`, en: `Must be one of: ${allowed}.` },
      }
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const limit = String(small ? issue.minimum : issue.maximum)
      if (issue.origin === 'string') {
        return small && limit === '1'
          ? {
              code: 'required',
              message: { nl: 'Dit veld mag niet leeg zijn.', en: 'This field must not be empty.' },
            }
          : {
              code: small ? 'too_short' : 'too_long',
              message: small
                ? { nl: `Minstens ${limit} tekens.`, en: `At least ${limit} characters.` }
                : { nl: `Hoogstens ${limit} tekens.`, en: `At most ${limit} characters.` },
            }
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return {
          code: small ? 'too_few' : 'too_many',
          message: small
            ? { nl: `Minstens ${limit} items.`, en: `At least ${limit} items.` }
            : { nl: `Hoogstens ${limit} items.`, en: `At most ${limit} items.` },
        }
      }
      return {
        code: 'out_of_range',
        message: small
          ? { nl: `Moet minstens ${limit} zijn.`, en: `Must be at least ${limit}.` }
          : { nl: `Mag hoogstens ${limit} zijn.`, en: `Must be at most ${limit}.` },
      }
    }
    case 'invalid_format':
      return {
        code: 'invalid_format',
        message:
          issue.format === 'datetime'
            ? {
                nl: 'Verwacht een datum en tijd zoals 2026-11-21T10:00:00Z.',
                en: 'Expected a date-time such as 2026-11-21T10:00:00Z.',
              }
            : {
                nl: `Ongeldig formaat (${issue.format}).`,
                en: `Invalid format (${issue.format}).`,
              },
      }
    case 'not_multiple_of':
      return {
        code: 'invalid_value',
        message: {
          nl: `Moet een veelvoud van ${String(issue.divisor)} zijn.`,
          en: `Must be a multiple of ${String(issue.divisor)}.`,
        },
      }
    case 'custom': {
      const params = issue.params as Partial<IssueParams> | undefined
      if (params?.code && params.nl) {
        return { code: params.code, message: { nl: params.nl, en: issue.message } }
      }
      return { code: 'invalid', message: { nl: 'Ongeldige waarde.', en: issue.message } }
    }
    default:
      return { code: 'invalid', message: { nl: 'Ongeldige waarde.', en: issue.message } }
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
