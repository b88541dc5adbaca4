import type { H, NotFoundHandler, RouterRoute } from 'hono/types'
import type { Router } from 'hono/router'
import { problemResponse } from './problem.js'
import { methodNotAllowed, notFoundError } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'

/** A route (not middleware) whose path matches a request path, with the parameters it reads. */
export interface RouteMatch {
  readonly route: RouterRoute
  readonly params: Readonly<Record<string, string>>
}

/**
 * The routes of any of `methods` whose path matches `path`, asked of the app's own router so that
 * the answer follows the same rules as dispatching (strict trailing slash, patterns). Middleware
 * (registered with method ALL) is left out: it runs for paths that have no route.
 */
export function routesAt(
  router: Router<[H, RouterRoute]>,
  methods: Iterable<string>,
  path: string,
): RouteMatch[] {
  const found: RouteMatch[] = []
  for (const method of methods) {
    const result = router.match(method, path)
    const stash = result[1]
    for (const [[, route], params] of result[0]) {
      if (route.method !== method) continue
      // A RegExpRouter answers parameter indexes into a shared stash; the others name values.
      const named = stash
        ? Object.fromEntries(Object.entries(params).map(([k, i]) => [k, stash[i as number] ?? '']))
        : (params as Record<string, string>)
      found.push({ route, params: named })
    }
  }
  return found
}

/** The methods the routes at `path` answer, with HEAD wherever GET is (Hono answers it). */
export function allowedMethods(
  router: Router<[H, RouterRoute]>,
  routes: readonly RouterRoute[],
  path: string,
): string[] {
  const methods = new Set(routes.map((r) => r.method).filter((m) => m !== 'ALL'))
  const allowed = new Set(routesAt(router, methods, path).map((m) => m.route.method))
  if (allowed.has('GET')) allowed.add('HEAD')
  return [...allowed].sort()
}

/**
 * The app's answer when no route took a request: 405 with `Allow` when the path has routes for
 * other methods (PUT on a place), else 404. A route that itself calls `c.notFound()` still gets 404.
 */
export function notFoundHandler(app: {
  router: Router<[H, RouterRoute]>
  routes: readonly RouterRoute[]
}): NotFoundHandler {
  return (c) => {
    const path = c.req.path
    const allowed = allowedMethods(app.router, app.routes, path)
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      c.header('allow', allowed.join(', '))
      const list = allowed.join(', ')
      return problemResponse(
        c,
        methodNotAllowed(PROBLEM.methodNotAllowed(c.req.method, path, list)),
      )
    }
    return problemResponse(c, notFoundError(PROBLEM.nothingAt(path)))
  }
}
