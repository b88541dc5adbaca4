import type { MiddlewareHandler } from 'hono'
import { compress } from 'hono/compress'

/** JSON, GeoJSON, JSON-FG, problem details and the other `+json` answers of the API. */
const JSON_TYPE = /^application\/(?:json|[\w.-]+\+json)\s*(?:;|$)/i

/**
 * Compresses the API's JSON answers with gzip for clients that accept it (Hono's compress, which
 * streams, and leaves an answer that says it is under 1 KB alone): the wijken of Flevoland are
 * 95 kB as JSON and about a fifth of that on a phone's connection.
 *
 * Not compressed: an answer with an ETag. One place's ETag is the version an editor sends back
 * in If-Match, which RFC 9110 compares strongly, and a compressed copy may only carry a weak
 * ETag (Hono would weaken it); the tiles and their TileJSON keep their own compressed copies and
 * ETags (api/http/tiles.ts). Event streams and files (CSV) are not JSON and pass as they are.
 */
export const compressJson: MiddlewareHandler = async (c, next) => {
  let withEtag = false
  const gzip = compress({
    encoding: 'gzip',
    contentTypeFilter: (type) => !withEtag && JSON_TYPE.test(type),
  })
  return gzip(c, async () => {
    await next()
    withEtag = c.res.headers.has('ETag')
  })
}
