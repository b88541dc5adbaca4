import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import {
  DomainError,
  type Bilingual,
  type ErrorCode,
  type FieldError,
  type Lang,
} from '../domain/errors.js'
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

export function problem(
  code: ErrorCode,
  title: Bilingual,
  detail: Bilingual,
  fields: readonly FieldError[] = [],
  extra: Readonly<Record<string, unknown>> = {},
): DomainError {
  return new DomainError(code, title, detail, fields, extra)
}

/** A Zod failure on a request part: body problems are 422, parameter problems 400. */
export function fromZod(error: ZodError, target: string, input: unknown): DomainError {
  if (target === 'json') {
    const fields = zodToFieldErrors(error, input)
    const n = fields.length
    return new DomainError(
      'validation_failed',
      { nl: 'Ongeldige invoer', en: 'Invalid input' },
      {
        nl: n === 1 ? 'Eén veld is niet goed ingevuld.' : `${n} velden zijn niet goed ingevuld.`,
        en: n === 1 ? 'One field is not valid.' : `${n} fields are not valid.`,
      },
      fields,
    )
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

/** 400 for query, path or header parameters; each field's pointer is the parameter's name. */
export function invalidParameters(fields: readonly FieldError[]): DomainError {
  return new DomainError(
    'invalid_parameter',
    { nl: 'Ongeldige parameter', en: 'Invalid parameter' },
    {
      nl: `Controleer: ${fields.map((f) => f.pointer).join(', ')}.`,
      en: `Check: ${fields.map((f) => f.pointer).join(', ')}.`,
    },
    fields,
  )
}

export const malformedJson = (why: string) =>
  problem(
    'malformed_json',
    { nl: 'Ongeldige JSON', en: 'Malformed JSON' },
    {
      nl: `De body is geen geldige JSON (${why}).`,
      en: `The request body is not valid JSON (${why}).`,
    },
  )

/** Seconds a client should wait before trying again while the database is unreachable. */
export const DATABASE_RETRY_AFTER_S = 5

/**
 * 503 while the database is unreachable. A write whose connection broke during its commit may
 * still have been saved, so the client is told to reload before trying a change again.
 */
export const databaseUnavailable = (extra: Readonly<Record<string, unknown>> = {}) =>
  problem(
    'database_unavailable',
    { nl: 'Database tijdelijk niet bereikbaar', en: 'Database temporarily unavailable' },
    {
      nl: `De database is even niet bereikbaar. Probeer het over ${DATABASE_RETRY_AFTER_S} seconden opnieuw. Wijzigde u iets? Laad dan eerst opnieuw om te zien of het is opgeslagen.`,
      en: `The database cannot be reached right now. Try again in ${DATABASE_RETRY_AFTER_S} seconds. Did you change something? Reload first to see whether it was saved.`,
    },
    [],
    { retry_after: DATABASE_RETRY_AFTER_S, ...extra },
  )

/** Turns whatever was thrown into a problem response; unexpected errors become a plain 500. */
export function toProblem(err: unknown, c: Context, log: (e: unknown) => void): Response {
  if (err instanceof DomainError) return problemResponse(c, err)
  // Before anything else that looks at `code`: a lost connection is not the client's fault.
  if (isDatabaseUnavailable(err)) return problemResponse(c, databaseUnavailable())
  if (err instanceof HTTPException && err.status < 500) {
    if (err.status === 400 && /json/i.test(err.message))
      return problemResponse(c, malformedJson(err.message))
    if (err.status === 413) return problemResponse(c, tooLarge())
    return problemResponse(
      c,
      new DomainError(
        err.status === 404 ? 'not_found' : 'invalid_parameter',
        { nl: 'Ongeldig verzoek', en: 'Bad request' },
        { nl: err.message, en: err.message },
      ),
    )
  }
  if ((err as { code?: unknown } | null)?.code === '23505') {
    // A unique constraint caught what a check could not (two writers at once): a conflict.
    return problemResponse(
      c,
      problem(
        'conflict',
        { nl: 'Bestaat al', en: 'Already exists' },
        {
          nl: 'Dit bestaat al (iemand anders was u net voor). Laad opnieuw en probeer het nog eens.',
          en: 'This already exists (someone else was just ahead of you). Reload and try again.',
        },
      ),
    )
  }
  log(err)
  const body = {
    type: 'about:blank',
    title: languageOf(c) === 'en' ? 'Internal server error' : 'Interne fout',
    status: 500,
    detail:
      languageOf(c) === 'en'
        ? 'Something went wrong on our side. Nothing was changed. Please try again.'
        : 'Er ging bij ons iets mis. Er is niets gewijzigd. Probeer het opnieuw.',
  }
  return c.body(JSON.stringify(body), 500, {
    'content-type': 'application/problem+json; charset=utf-8',
  })
}

export const tooLarge = () =>
  problem(
    'payload_too_large',
    { nl: 'Te groot', en: 'Too large' },
    { nl: 'De body is groter dan toegestaan.', en: 'The request body is larger than allowed.' },
  )
