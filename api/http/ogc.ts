import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { z } from 'zod'
import { STATUSES, type AssetStatus } from '../domain/asset.js'
import type { Clock } from '../domain/clock.js'
import { invalidParameters, notFound, type FieldError } from '../domain/errors.js'
import { isKindCode, KIND_CODES, type KindCode } from '../domain/kinds.js'
import { FIELD, LABEL, type Bilingual } from '../domain/messages.js'
import {
  CONFORMANCE,
  CRS84,
  crsByUri,
  CRSS,
  parseAxisBox,
  parseDatetime,
  STORAGE_CRS,
  toXy,
  type Crs,
} from '../domain/ogc.js'
import type {
  Collection,
  CollectionId,
  Feature,
  Features,
  ItemsQuery,
} from '../services/features.js'
import type { AppEnv } from './env.js'
import {
  ogcCollectionSchema,
  ogcCollectionsSchema,
  ogcConformanceSchema,
  ogcFeatureCollectionSchema,
  ogcFeatureSchema,
  ogcLandingSchema,
} from './contract.js'
import {
  collectionHtml,
  collectionsHtml,
  conformanceHtml,
  itemHtml,
  itemsHtml,
  landingHtml,
  type CollectionView,
  type Link,
} from './ogc-html.js'
import { problemResponse } from './openapi.js'
import { API_BASE } from './version.js'

/**
 * OGC API Features, Part 1 (Core: GeoJSON and HTML) and Part 2 (CRS by reference), at
 * /api/v1/ogc: under the API's major version like every other path of it, so the NLGov API
 * Design Rules hold here too, and described in the same OpenAPI document (its service-desc).
 * What each collection holds is services/features.ts; this file parses the standard's query
 * parameters (each problem named, 400) and writes the links the standard asks for.
 */

export const DEFAULT_LIMIT = 10
export const MAX_LIMIT = 1000

const GEOJSON = 'application/geo+json'
const JSON_TYPE = 'application/json'
const HTML = 'text/html'
const OPENAPI = 'application/vnd.oai.openapi+json;version=3.1'

const TITLE = 'Buurtkaart'
const DESCRIPTION =
  'The shared register of neighbourhood places in Flevoland, the CBS areas with their inhabitants and ' +
  'coverage figures, and the gap areas, as OGC API Features (Part 1 Core, Part 2 CRS). Coordinates in ' +
  'CRS84 by default; EPSG:28992 (RD New) and EPSG:4258 (ETRS89) with the crs parameter.'

const CRS_URIS = CRSS.map((c) => c.uri)

/** The parameters every page takes. */
const COMMON = ['f', 'lang'] as const

const format = z
  .string()
  .optional()
  .meta({ description: 'json (default; GeoJSON for features) or html; or send Accept: text/html' })
const lang = z.string().optional().meta({ description: 'nl or en: the language of problems' })
const crsParam = z
  .string()
  .optional()
  .meta({ description: `The system of the answer's coordinates: ${CRS_URIS.join(', ')}` })

const commonQuery = z.object({ f: format, lang })

const collectionIdParam = z.object({
  collectionId: z.string().meta({
    description: 'places, gemeenten, wijken, buurten (when loaded) or gap-areas',
    example: 'places',
  }),
})

const itemsQuery = z.object({
  f: format,
  lang,
  limit: z
    .string()
    .optional()
    .meta({ description: `Features per page: 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})` }),
  offset: z.string().optional().meta({ description: 'Features to skip (the next link sets it)' }),
  bbox: z.string().optional().meta({
    description:
      'minX,minY,maxX,maxY in the axis order of bbox-crs (CRS84: minLon,minLat,maxLon,maxLat; EPSG:4258: minLat,minLon,maxLat,maxLon)',
    example: '5.40,52.45,5.55,52.55',
  }),
  crs: crsParam,
  kind: z.string().optional().meta({ description: 'places: comma-separated kind codes' }),
  status: z
    .string()
    .optional()
    .meta({ description: 'places: comma-separated active, planned, closed' }),
  gemeente: z
    .string()
    .optional()
    .meta({ description: 'places, wijken, buurten: CBS gemeente code, e.g. GM0995' }),
  datetime: z.string().optional().meta({
    description:
      'places: last change (RFC 3339) at an instant or within an interval, e.g. 2026-01-01T00:00:00Z/..',
  }),
})

const notFoundAnswer = problemResponse('No such collection or feature')
const crsHeader = {
  'Content-Crs': {
    description: 'The system of the coordinates, as <URI>',
    schema: { type: 'string' as const },
  },
}

function wantsHtml(c: Context): boolean {
  const f = c.req.query('f')
  if (f === 'html') return true
  if (f === 'json') return false
  return (c.req.header('accept') ?? '').split(',')[0]?.trim().startsWith('text/html') ?? false
}

const field = (name: string, code: string, message: Bilingual): FieldError => ({
  pointer: name,
  in: 'query',
  code,
  message,
})

/** Checks that only `allowed` parameters are present, and `f` and `lang` hold known values. */
function checkQuery(c: Context, allowed: readonly string[]): Record<string, string> {
  const query = c.req.query()
  const errors: FieldError[] = []
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name)) {
      errors.push(field(name, 'unknown_parameter', FIELD.unknownParameter(allowed.join(', '))))
    }
  }
  if (query.f !== undefined && query.f !== 'json' && query.f !== 'html') {
    errors.push(field('f', 'invalid_value', FIELD.ogcFormat))
  }
  if (query.lang !== undefined && query.lang !== 'nl' && query.lang !== 'en') {
    errors.push(field('lang', 'invalid_value', FIELD.ogcLang))
  }
  if (errors.length > 0) throw invalidParameters(errors)
  return query
}

function parseCrs(name: string, text: string | undefined, errors: FieldError[]): Crs {
  if (text === undefined) return CRS84
  const crs = crsByUri(text.replace(/^\[|\]$/g, ''))
  if (!crs) errors.push(field(name, 'unknown_crs', FIELD.unknownCrs(CRS_URIS.join(', '))))
  return crs ?? CRS84
}

function parseList<T extends string>(
  name: string,
  text: string | undefined,
  isValid: (v: string) => v is T,
  allowed: readonly string[],
  errors: FieldError[],
): T[] | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const values = text.split(',').map((v) => v.trim())
  if (values.every(isValid)) return values
  errors.push(field(name, 'invalid_value', FIELD.ogcList(allowed.join(', '))))
  return undefined
}

const isStatus = (v: string): v is AssetStatus => (STATUSES as readonly string[]).includes(v)

function wholeNumber(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d{1,9}$/.test(text)) return NaN
  const n = Number(text)
  return n >= min && n <= max ? n : NaN
}

/** The items query of one collection: every parameter checked, each problem named. */
function parseItemsQuery(c: Context, collection: Collection) {
  const allowed = [...COMMON, 'limit', 'offset', 'bbox', 'bbox-crs', 'crs', ...collection.filters]
  const q = checkQuery(c, allowed)
  const errors: FieldError[] = []
  const crs = parseCrs('crs', q.crs, errors)
  const bboxCrs = parseCrs('bbox-crs', q['bbox-crs'], errors)
  let within: ItemsQuery['within']
  if (q.bbox !== undefined) {
    const box = parseAxisBox(q.bbox)
    if (box) within = { box: toXy(box, bboxCrs), srid: bboxCrs.srid }
    else errors.push(field('bbox', 'invalid_bbox', FIELD.ogcBbox))
  } else if (q['bbox-crs'] !== undefined) {
    errors.push(field('bbox-crs', 'without_bbox', FIELD.bboxCrsWithoutBbox))
  }
  const limit = wholeNumber(q.limit, 1, MAX_LIMIT) ?? DEFAULT_LIMIT
  if (Number.isNaN(limit)) errors.push(field('limit', 'out_of_range', FIELD.ogcLimit(MAX_LIMIT)))
  const offset = wholeNumber(q.offset, 0, 999_999_999) ?? 0
  if (Number.isNaN(offset)) errors.push(field('offset', 'out_of_range', FIELD.ogcOffset))
  const kinds = parseList<KindCode>('kind', q.kind, isKindCode, KIND_CODES, errors)
  const statuses = parseList<AssetStatus>('status', q.status, isStatus, STATUSES, errors)
  if (q.gemeente !== undefined && !/^GM\d{4}$/.test(q.gemeente)) {
    errors.push(field('gemeente', 'invalid_value', FIELD.ogcGemeente))
  }
  let changed: ItemsQuery['changed']
  if (q.datetime !== undefined) {
    changed = parseDatetime(q.datetime)
    if (!changed) errors.push(field('datetime', 'invalid_value', FIELD.ogcDatetime))
  }
  if (errors.length > 0) throw invalidParameters(errors)
  return {
    query: { crs, within, kinds, statuses, gemeente: q.gemeente, changed } satisfies ItemsQuery,
    page: { limit, offset },
  }
}

export function ogcRoutes(deps: {
  features: Features
  clock: Clock
  publicUrl?: string | undefined
}) {
  const { features, clock } = deps
  const app = new OpenAPIHono<AppEnv>()
  /**
   * The service's address: BUURTKAART_PUBLIC_URL, else the request's own origin. Links are
   * absolute because GDAL (3.6) resolves a root-relative href against the page's URL. An answer
   * whose links come from the request's Host header is not stored by any cache (no-store), so a
   * forged Host cannot be remembered and served to others.
   */
  const originOf = (c: Context) => {
    if (deps.publicUrl) return deps.publicUrl
    c.header('Cache-Control', 'no-store')
    return new URL(c.req.url).origin
  }
  const rootOf = (c: Context) => `${originOf(c)}${API_BASE}/ogc`

  /** A page's self and alternate links, in JSON (`json` type) and HTML. */
  const selfLinks = (c: Context, path: string, json: string, html: boolean, query = ''): Link[] => {
    const at = (f: string) => `${rootOf(c)}${path}?${query ? `${query}&` : ''}f=${f}`
    return [
      { href: at(html ? 'html' : 'json'), rel: 'self', type: html ? HTML : json },
      { href: at(html ? 'json' : 'html'), rel: 'alternate', type: html ? json : HTML },
    ]
  }

  async function collectionOf(id: string): Promise<Collection> {
    const collection = await features.collection(id)
    if (!collection) throw notFound(LABEL.collection, id)
    return collection
  }

  function collectionJson(c: Context, col: Collection) {
    const base = `${rootOf(c)}/collections/${col.id}`
    return {
      id: col.id,
      title: col.title,
      description: col.description,
      itemType: 'feature' as const,
      links: [
        { href: `${base}?f=json`, rel: 'self', type: JSON_TYPE, title: col.title },
        { href: `${base}?f=html`, rel: 'alternate', type: HTML, title: col.title },
        { href: `${base}/items?f=json`, rel: 'items', type: GEOJSON, title: col.title },
        { href: `${base}/items?f=html`, rel: 'items', type: HTML, title: col.title },
      ],
      extent: {
        spatial: { bbox: col.bbox ? [[...col.bbox]] : [], crs: CRS84.uri },
        ...(col.interval
          ? {
              temporal: {
                interval: [[...col.interval]],
                trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
              },
            }
          : {}),
      },
      crs: CRS_URIS,
      storageCrs: STORAGE_CRS.uri,
    }
  }

  const view = (col: ReturnType<typeof collectionJson>): CollectionView => col

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'OGC API Features: landing page',
      request: { query: commonQuery },
      responses: {
        200: {
          description: 'The landing page with links to the API description, conformance and data',
          content: {
            [JSON_TYPE]: { schema: ogcLandingSchema },
            [HTML]: { schema: z.string().meta({ description: 'The landing page for people' }) },
          },
        },
      },
    }),
    (c) => {
      checkQuery(c, COMMON)
      const html = wantsHtml(c)
      const links: Link[] = [
        ...selfLinks(c, '', JSON_TYPE, html),
        {
          href: `${originOf(c)}${API_BASE}/openapi.json`,
          rel: 'service-desc',
          type: OPENAPI,
          title: 'The API description (OpenAPI 3.1)',
        },
        {
          href: `${rootOf(c)}/conformance?f=json`,
          rel: 'conformance',
          type: JSON_TYPE,
          title: 'Conformance',
        },
        {
          href: `${rootOf(c)}/collections?f=json`,
          rel: 'data',
          type: JSON_TYPE,
          title: 'Collections',
        },
        { href: `${rootOf(c)}/collections?f=html`, rel: 'data', type: HTML, title: 'Collections' },
      ]
      if (html) return c.html(landingHtml(TITLE, DESCRIPTION, links))
      return c.json({ title: TITLE, description: DESCRIPTION, links }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/conformance',
      summary: 'OGC API Features: the conformance classes this service implements',
      request: { query: commonQuery },
      responses: {
        200: {
          description: 'Conformance classes',
          content: {
            [JSON_TYPE]: { schema: ogcConformanceSchema },
            [HTML]: { schema: z.string().meta({ description: 'The list for people' }) },
          },
        },
      },
    }),
    (c) => {
      checkQuery(c, COMMON)
      if (wantsHtml(c))
        return c.html(conformanceHtml(CONFORMANCE, selfLinks(c, '/conformance', JSON_TYPE, true)))
      return c.json({ conformsTo: [...CONFORMANCE] }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/collections',
      summary: 'OGC API Features: the collections, each with its extent and coordinate systems',
      request: { query: commonQuery },
      responses: {
        200: {
          description: 'Collections',
          content: {
            [JSON_TYPE]: { schema: ogcCollectionsSchema },
            [HTML]: { schema: z.string().meta({ description: 'The collections for people' }) },
          },
        },
      },
    }),
    async (c) => {
      checkQuery(c, COMMON)
      const html = wantsHtml(c)
      const list = (await features.collections()).map((col) => collectionJson(c, col))
      const links = selfLinks(c, '/collections', JSON_TYPE, html)
      if (html) return c.html(collectionsHtml(list.map(view), links))
      return c.json({ links, collections: list, crs: CRS_URIS }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/collections/{collectionId}',
      summary: 'OGC API Features: one collection',
      request: { params: collectionIdParam, query: commonQuery },
      responses: {
        200: {
          description: 'The collection',
          content: {
            [JSON_TYPE]: { schema: ogcCollectionSchema },
            [HTML]: { schema: z.string().meta({ description: 'The collection for people' }) },
          },
        },
        404: notFoundAnswer,
      },
    }),
    async (c) => {
      checkQuery(c, COMMON)
      const col = collectionJson(c, await collectionOf(c.req.valid('param').collectionId))
      if (wantsHtml(c)) return c.html(collectionHtml(view(col), col.links))
      return c.json(col, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/collections/{collectionId}/items',
      summary: 'OGC API Features: the features of a collection, a page at a time',
      description:
        'Filters per collection: places take kind, status, gemeente and datetime; wijken and buurten take gemeente; ' +
        'any parameter a collection does not take is refused (400). bbox-crs gives the system of bbox.',
      request: { params: collectionIdParam, query: itemsQuery },
      responses: {
        200: {
          description: 'A page of features, with next and prev links',
          headers: crsHeader,
          content: {
            [GEOJSON]: { schema: ogcFeatureCollectionSchema },
            [HTML]: { schema: z.string().meta({ description: 'The features as a table' }) },
          },
        },
        404: notFoundAnswer,
      },
    }),
    async (c) => {
      const id = c.req.valid('param').collectionId
      const col = await collectionOf(id)
      const { query, page } = parseItemsQuery(c, col)
      const result = await features.items(col.id, query, page)
      const html = wantsHtml(c)
      const kept = new URLSearchParams(
        Object.entries(c.req.query()).filter(([k]) => k !== 'f' && k !== 'offset'),
      )
      const pageQuery = (offset: number) => {
        const q = new URLSearchParams(kept)
        if (offset > 0) q.set('offset', String(offset))
        return q.toString()
      }
      const path = `/collections/${col.id}/items`
      const links: Link[] = [...selfLinks(c, path, GEOJSON, html, pageQuery(page.offset))]
      const pageLinks = (rel: 'next' | 'prev', offset: number) =>
        [GEOJSON, HTML].map((type) => ({
          href: `${rootOf(c)}${path}?${pageQuery(offset) ? `${pageQuery(offset)}&` : ''}f=${type === HTML ? 'html' : 'json'}`,
          rel,
          type,
        }))
      if (page.offset + result.features.length < result.matched) {
        links.push(...pageLinks('next', page.offset + page.limit))
      }
      if (page.offset > 0) links.push(...pageLinks('prev', Math.max(0, page.offset - page.limit)))
      links.push({
        href: `${rootOf(c)}/collections/${col.id}?f=json`,
        rel: 'collection',
        type: JSON_TYPE,
      })
      c.header('Content-Crs', `<${query.crs.uri}>`)
      if (html) {
        return c.html(
          itemsHtml(
            col.title,
            result.features.map((f) => ({
              id: f.id,
              href: `${rootOf(c)}${path}/${encodeURIComponent(f.id)}?f=html`,
              properties: f.properties,
            })),
            { matched: result.matched, returned: result.features.length },
            links,
          ),
        )
      }
      const body = {
        type: 'FeatureCollection' as const,
        features: result.features.map((f) => featureJson(f)),
        links,
        numberMatched: result.matched,
        numberReturned: result.features.length,
        timeStamp: clock.now().toISOString(),
      }
      return c.body(JSON.stringify(body), 200, { 'content-type': `${GEOJSON}; charset=utf-8` })
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/collections/{collectionId}/items/{featureId}',
      summary: 'OGC API Features: one feature',
      request: {
        params: collectionIdParam.extend({
          featureId: z.string().meta({
            description: 'A place’s id, an area’s CBS code, or a gap area’s id (an H3 index)',
          }),
        }),
        query: z.object({ f: format, lang, crs: crsParam }),
      },
      responses: {
        200: {
          description: 'The feature',
          headers: crsHeader,
          content: {
            [GEOJSON]: { schema: ogcFeatureSchema },
            [HTML]: { schema: z.string().meta({ description: 'The feature for people' }) },
          },
        },
        404: notFoundAnswer,
      },
    }),
    async (c) => {
      const { collectionId, featureId } = c.req.valid('param')
      const col = await collectionOf(collectionId)
      const q = checkQuery(c, [...COMMON, 'crs'])
      const errors: FieldError[] = []
      const crs = parseCrs('crs', q.crs, errors)
      if (errors.length > 0) throw invalidParameters(errors)
      const feature = await features.item(col.id, featureId, crs)
      if (!feature) throw notFound(LABEL.feature, featureId)
      const path = `/collections/${col.id}/items/${encodeURIComponent(featureId)}`
      const crsQuery = q.crs ? new URLSearchParams({ crs: q.crs }).toString() : ''
      const html = wantsHtml(c)
      const links: Link[] = [
        ...selfLinks(c, path, GEOJSON, html, crsQuery),
        { href: `${rootOf(c)}/collections/${col.id}?f=json`, rel: 'collection', type: JSON_TYPE },
      ]
      c.header('Content-Crs', `<${crs.uri}>`)
      if (html) {
        return c.html(
          itemHtml(
            `${col.title}: ${featureId}`,
            { id: feature.id, href: '', properties: feature.properties },
            links,
          ),
        )
      }
      return c.body(JSON.stringify(featureJson(feature, links)), 200, {
        'content-type': `${GEOJSON}; charset=utf-8`,
      })
    },
  )

  return app
}

function featureJson(f: Feature, links?: Link[]) {
  return {
    type: 'Feature' as const,
    id: f.id,
    geometry: f.geometry,
    properties: f.properties,
    ...(links ? { links } : {}),
  }
}

/** The collection ids, for the route's documentation and tests. */
export type { CollectionId }
