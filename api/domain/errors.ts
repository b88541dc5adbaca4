/** A message in both interface languages; Dutch is the default. */
export interface Bilingual {
  readonly nl: string
  readonly en: string
}

export type Lang = keyof Bilingual

/** One problem with one input field, addressed by a JSON Pointer (RFC 6901) into the input. */
export interface FieldError {
  /** JSON Pointer into the request body, or the name of a query/path parameter (see `in`). */
  readonly pointer: string
  readonly in?: 'body' | 'query' | 'path' | 'header'
  readonly code: string
  readonly message: Bilingual
}

/** The closed set of error codes; `api/http/problem.ts` maps each to an HTTP status once. */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_parameter'
  | 'malformed_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'gone'
  | 'precondition_required'
  | 'version_conflict'
  | 'conflict'
  | 'too_many_requests'
  | 'service_unavailable'
  | 'database_unavailable'

export class DomainError extends Error {
  override name = 'DomainError'
  constructor(
    readonly code: ErrorCode,
    readonly title: Bilingual,
    readonly detail: Bilingual,
    readonly fields: readonly FieldError[] = [],
    /** Extra members for the problem document, e.g. the current version on a conflict. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail.en)
  }
}

export function validationFailed(fields: readonly FieldError[], detail?: Bilingual): DomainError {
  const n = fields.length
  return new DomainError(
    'validation_failed',
    { nl: 'Ongeldige invoer', en: 'Invalid input' },
    detail ?? {
      nl: n === 1 ? 'Eén veld is niet goed ingevuld.' : `${n} velden zijn niet goed ingevuld.`,
      en: n === 1 ? 'One field is not valid.' : `${n} fields are not valid.`,
    },
    fields,
  )
}

export function notFound(what: Bilingual, id: string): DomainError {
  return new DomainError(
    'not_found',
    { nl: 'Niet gevonden', en: 'Not found' },
    { nl: `${what.nl} ${id} bestaat niet.`, en: `${what.en} ${id} does not exist.` },
  )
}
