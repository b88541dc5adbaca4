import type { MiddlewareHandler } from 'hono'
import type { H, RouterRoute } from 'hono/types'
import type { Router } from 'hono/router'
import { validationFailed, type FieldError } from '../domain/errors.js'
import { unstorableStrings, unstorableText } from '../domain/text.js'
import { invalidParameters } from './problem.js'
import { routesAt } from './routes.js'

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates) is refused where it enters, once for every
 * route, instead of by a refinement on each schema: a string a schema forgot reached the database
 * and answered 500. These two middlewares check the path and query string, and a JSON body.
 */

/**
 * 400 when the path or a query parameter (name or value) holds unstorable text, naming the
 * parameter. `app` gives the routes, to name a path parameter.
 */
export function refuseUnstorableUrl(app: {
  router: Router<[H, RouterRoute]>
  routes: readonly RouterRoute[]
}): MiddlewareHandler {
  return async (c, next) => {
    // Only a percent escape decodes to NUL; a URL without one (every tile request) is done here.
    if (!c.req.url.includes('%')) return next()
    const fields: FieldError[] = []
    const why = unstorableText(c.req.path)
    if (why) {
      const methods = new Set(app.routes.map((r) => r.method))
      const names = new Set(
        routesAt(app.router, methods, c.req.path).flatMap((m) =>
          Object.entries(m.params)
            .filter(([, value]) => unstorableText(value))
            .map(([name]) => name),
        ),
      )
      for (const name of names.size > 0 ? names : ['path']) {
        fields.push({ pointer: name, in: 'path', code: why.code, message: why.message })
      }
    }
    for (const [name, values] of Object.entries(c.req.queries())) {
      const bad = unstorableText(name) ?? values.map(unstorableText).find((w) => w)
      if (bad) fields.push({ pointer: name, in: 'query', code: bad.code, message: bad.message })
    }
    if (fields.length > 0) throw invalidParameters(fields)
    return next()
  }
}

/** A JSON media type: `application/json` or `application/…+json`. */
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i

/**
 * 422 when a JSON body holds unstorable text anywhere, naming each place by its JSON Pointer.
 * Reads the body as text, which Hono keeps for the handler; a body that is not JSON is left to
 * the handler, which refuses it in its own words.
 */
export function refuseUnstorableJson(): MiddlewareHandler {
  return async (c, next) => {
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) return next()
    // Read outside the try: a body over the size limit must still fail as such (413).
    const text = await c.req.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return next()
    }
    const fields = unstorableStrings(body)
    if (fields.length > 0) throw validationFailed(fields.map((f) => ({ ...f, in: 'body' })))
    return next()
  }
}
