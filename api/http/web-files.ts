import { serveStatic } from '@hono/node-server/serve-static'
import type { MiddlewareHandler } from 'hono'
import path from 'node:path'

/**
 * The built web app's files, as a phone on a mobile connection should get them:
 *
 * - compressed: the build writes a Brotli (`.br`) and a gzip (`.gz`) copy of every text file
 *   beside it (vite.config.ts), and the one the browser accepts is sent as it is, so the 1.5 MB
 *   bundle crosses the network as about 0.4 MB without compressing anything per request;
 * - cached by what their name says: Vite names the files in `assets/` after their content, so a
 *   browser keeps them for a year without asking again (`immutable`); every other file
 *   (`index.html`, which names the current assets) is checked again on every visit (`no-cache`),
 *   so a new version reaches everyone on their next visit.
 *
 * Only files that were found get these headers: a missing asset's 404 is not kept for a year.
 */
export function webAppFiles(webRoot: string): {
  files: MiddlewareHandler
  index: MiddlewareHandler
} {
  const root = path.relative(process.cwd(), webRoot) || '.'
  return {
    files: withCaching(serveStatic({ root, precompressed: true })),
    index: withCaching(serveStatic({ root, path: 'index.html', precompressed: true })),
  }
}

/** Vite's content-named output (`build.assetsDir`). */
const HASHED = /^\/assets\//

export const CACHE_HASHED = 'public, max-age=31536000, immutable'
export const CACHE_OTHER = 'no-cache'

function withCaching(serve: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => {
    const res = await serve(c, next)
    if (res instanceof Response && res.ok) {
      res.headers.set('Cache-Control', HASHED.test(c.req.path) ? CACHE_HASHED : CACHE_OTHER)
      // The answer depends on Accept-Encoding also when it is sent uncompressed: a shared cache
      // must not hand that copy to a browser that takes Brotli, or the other way round.
      if (!res.headers.has('Vary')) res.headers.set('Vary', 'Accept-Encoding')
    }
    return res
  }
}
