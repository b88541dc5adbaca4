import type { Context, MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { fromZod, malformedJson } from './problem.js'
import { unsupportedMediaType } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}

/** The entity tag of an asset version. */
export function etagOf(version: number): string {
  return `"v${version}"`
}

/**
 * Parses `If-Match`: a version, `*`, or undefined when absent. A value that names no version
 * of ours cannot match, and is reported as such.
 */
export function parseIfMatch(header: string | undefined): number | '*' | undefined | 'invalid' {
  if (header === undefined) return undefined
  const value = header.trim()
  if (value === '*') return '*'
  const m = /^(?:W\/)?"v(\d{1,9})"$/.exec(value)
  return m ? Number(m[1]) : 'invalid'
}

/** Throws 415 unless the request says its body is JSON (`application/json` or `…+json`). */
function requireJsonType(c: Context): void {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw unsupportedMediaType(PROBLEM.notJsonContentType(type))
  }
}

/** Refuses a `method` request whose body is not JSON (415) before anything reads it. */
export function requireJsonBody(method: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== method) return next()
    requireJsonType(c)
    await next()
  }
}

/** Reads and validates a JSON body: 415 when not JSON, 400 when malformed, 422 per field. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  requireJsonType(c)
  let input: unknown
  try {
    input = await c.req.json()
  } catch (e) {
    throw malformedJson((e as Error).message)
  }
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw fromZod(parsed.error, 'json', input)
  return parsed.data
}

/** Validates the query string against a strict schema (400 per parameter). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = c.req.query()
  const parsed = schema.safeParse(query)
  if (!parsed.success) throw fromZod(parsed.error, 'query', query)
  return parsed.data
}
