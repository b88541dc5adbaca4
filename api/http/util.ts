import type { Context, MiddlewareHandler } from 'hono'
import { problem } from './problem.js'

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

/** Refuses a `method` request whose body is not JSON (415) before anything reads it. */
export function requireJsonBody(method: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== method) return next()
    const type = c.req.header('content-type') ?? ''
    if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
      throw problem(
        'unsupported_media_type',
        { nl: 'Verkeerd formaat', en: 'Unsupported media type' },
        {
          nl: `Stuur JSON met Content-Type: application/json (niet "${type || 'leeg'}").`,
          en: `Send JSON with Content-Type: application/json (not "${type || 'empty'}").`,
        },
      )
    }
    await next()
  }
}

/** Who is acting. Accounts arrive with the roles issue; until then every web change is anonymous. */
export function actorOf(_c: Context): string {
  return 'anonymous'
}
