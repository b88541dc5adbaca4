import { PROBLEM, waitInWords, type Bilingual, type ProblemText } from './messages.js'

export type { Bilingual, Lang } from './messages.js'

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

/** What a problem carries besides its text. */
export interface ProblemOptions {
  readonly fields?: readonly FieldError[]
  readonly extra?: Readonly<Record<string, unknown>>
}

const factory =
  (code: ErrorCode) =>
  (text: ProblemText, options: ProblemOptions = {}): DomainError =>
    new DomainError(code, text.title, text.detail, options.fields, options.extra)

/*
 * One factory per error code, taking its text from the catalogue in `messages.ts`, e.g.
 * `conflict(PROBLEM.importRunning)`. Where the plain name belongs to a named problem below or in
 * `http/problem.ts` (notFound, versionConflict, malformedJson, databaseUnavailable), the per-code
 * factory carries a suffix. The HTTP status of each code is decided in `http/problem.ts` alone.
 */
export const invalidInput = factory('validation_failed')
export const invalidParameter = factory('invalid_parameter')
export const malformedJsonBody = factory('malformed_json')
export const unsupportedMediaType = factory('unsupported_media_type')
export const payloadTooLarge = factory('payload_too_large')
export const unauthorized = factory('unauthorized')
export const forbidden = factory('forbidden')
export const notFoundError = factory('not_found')
export const methodNotAllowed = factory('method_not_allowed')
export const gone = factory('gone')
export const preconditionRequired = factory('precondition_required')
export const versionConflicted = factory('version_conflict')
export const conflict = factory('conflict')
export const tooManyRequests = factory('too_many_requests')
export const serviceUnavailable = factory('service_unavailable')
export const databaseUnavailableError = factory('database_unavailable')

/** 422 with field-level details; the detail counts the fields unless one is given. */
export function validationFailed(fields: readonly FieldError[], detail?: Bilingual): DomainError {
  const text = PROBLEM.invalidInput(fields.length)
  return invalidInput({ title: text.title, detail: detail ?? text.detail }, { fields })
}

/** 404 for `what` (e.g. `LABEL.area`) with this id. */
export function notFound(what: Bilingual, id: string): DomainError {
  return notFoundError(PROBLEM.notFound(what, id))
}

/** 400 for query, path or header parameters; each field's pointer is the parameter's name. */
export function invalidParameters(fields: readonly FieldError[]): DomainError {
  return invalidParameter(PROBLEM.invalidParameters(fields.map((f) => f.pointer).join(', ')), {
    fields,
  })
}

// Named problems that happen in more than one place or carry a fixed shape.

export const invalidCredentials = () => unauthorized(PROBLEM.invalidCredentials)

/** 429 after too many failed sign-ins; `retry_after` in whole seconds. */
export const tooManyAttempts = (waitMs: number) =>
  tooManyRequests(PROBLEM.tooManyAttempts(waitInWords(waitMs)), {
    extra: { retry_after: Math.max(1, Math.ceil(waitMs / 1000)) },
  })

export const lastAdmin = () => conflict(PROBLEM.lastAdmin)

/** 412: the thing changed since the version the client edited; carries the current state. */
export const versionConflict = (current: { readonly version: number }, expected: number) =>
  versionConflicted(PROBLEM.versionConflict(expected, current.version), { extra: { current } })

/** A file that cannot be read as what it claims to be; the reason is also the field's message. */
export const unreadableFile = (why: Bilingual, code = 'format') =>
  invalidInput(PROBLEM.unreadableFile(why), { fields: [{ pointer: '/file', code, message: why }] })
