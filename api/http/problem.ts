import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import {
  conflict,
  databaseUnavailableError,
  DomainError,
  invalidParameters,
  malformedJsonBody,
  notFoundError,
  invalidParameter,
  payloadTooLarge,
  validationFailed,
  type ErrorCode,
  type FieldError,
  type Lang,
} from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'
import { zodToFieldErrors } from '../domain/validation.js'
import { isDatabaseUnavailable } from '../db/availability.js'

/** Each domain error code maps to one HTTP status, here and nowhere else. */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  validation_failed: 422,
  invalid_parameter: 400,
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  gone: 410,
  precondition_required: 428,
  version_conflict: 412,
  conflict: 409,
  too_many_requests: 429,
  service_unavailable: 503,
  database_unavailable: 503,
}

/** The interface language: `?lang=` first, then Accept-Language, else Dutch. */
export function languageOf(c: Context): Lang {
  const explicit = c.req.query('lang')
  if (explicit === 'en' || explicit === 'nl') return explicit
  const header = c.req.header('accept-language') ?? ''
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? ''
    if (tag.startsWith('nl')) return 'nl'
    if (tag.startsWith('en')) return 'en'
  }
  return 'nl'
}

/** Renders an error as `application/problem+json` (RFC 9457), in the client's language. */
export function problemResponse(c: Context, error: DomainError): Response {
  const lang = languageOf(c)
  const status = STATUS[error.code]
  const body = {
    type: `urn:buurtkaart:problem:${error.code}`,
    title: error.title[lang],
    status,
    detail: error.detail[lang],
    instance: c.req.path,
    code: error.code,
    messages: { title: error.title, detail: error.detail },
    ...(error.fields.length > 0
      ? {
          errors: error.fields.map((f) => ({
            pointer: f.pointer,
            in: f.in ?? 'body',
            code: f.code,
            detail: f.message[lang],
            messages: f.message,
          })),
        }
      : {}),
    ...error.extra,
  }
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json; charset=utf-8',
  }
  if (status === 503) headers['retry-after'] = '5'
  const retryAfter = error.extra['retry_after']
  if (typeof retryAfter === 'number')
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)))
  return c.body(JSON.stringify(body), status, headers)
}

/** A Zod failure on a request part: body problems are 422, parameter problems 400. */
export function fromZod(error: ZodError, target: string, input: unknown): DomainError {
  if (target === 'json') {
    return validationFailed(zodToFieldErrors(error, input))
  }
  const where: FieldError['in'] =
    target === 'param' ? 'path' : target === 'header' ? 'header' : 'query'
  return invalidParameters(
    zodToFieldErrors(error, input).map((f) => ({
      ...f,
      pointer: f.pointer.replace(/^\//, ''),
      in: where,
    })),
  )
}

export { invalidParameters }

export const malformedJson = (why: string) => malformedJsonBody(PROBLEM.malformedJson(why))

/** Seconds a client should wait before trying again while the database is unreachable. */
export const DATABASE_RETRY_AFTER_S = 5

/**
 * 503 while the database is unreachable. A write whose connection broke during its commit may
 * still have been saved, so the client is told to reload before trying a change again.
 */
export const databaseUnavailable = (extra: Readonly<Record<string, unknown>> = {}) =>
  databaseUnavailableError(PROBLEM.databaseUnavailable(DATABASE_RETRY_AFTER_S), {
    extra: { retry_after: DATABASE_RETRY_AFTER_S, ...extra },
  })

/** Turns whatever was thrown into a problem response; unexpected errors become a plain 500. */
export function toProblem(err: unknown, c: Context, log: (e: unknown) => void): Response {
  if (err instanceof DomainError) return problemResponse(c, err)
  // Before anything else that looks at `code`: a lost connection is not the client's fault.
  if (isDatabaseUnavailable(err)) return problemResponse(c, databaseUnavailable())
  if (err instanceof HTTPException && err.status < 500) {
    if (err.status === 400 && /json/i.test(err.message))
      return problemResponse(c, malformedJson(err.message))
    if (err.status === 413) return problemResponse(c, tooLarge())
    const text = PROBLEM.badRequest(err.message)
    return problemResponse(c, err.status === 404 ? notFoundError(text) : invalidParameter(text))
  }
  if ((err as { code?: unknown } | null)?.code === '23505') {
    // A unique constraint caught what a check could not (two writers at once): a conflict.
    return problemResponse(c, conflict(PROBLEM.concurrentDuplicate))
  }
  log(err)
  const lang = languageOf(c)
  const body = {
    type: 'about:blank',
    title: PROBLEM.internal.title[lang],
    status: 500,
    detail: PROBLEM.internal.detail[lang],
  }
  return c.body(JSON.stringify(body), 500, {
    'content-type': 'application/problem+json; charset=utf-8',
  })
}

export const tooLarge = () => payloadTooLarge(PROBLEM.payloadTooLarge)
