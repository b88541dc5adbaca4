import { expect, it } from 'vitest'
import { z } from 'zod'
import type { App } from '../../api/http/app.js'
import { assetBody, call, describeBackends } from '../helpers/backends.js'
import { loadSyntheticDelftAreas, NL } from '../helpers/osm.js'
import { Browser, makeUser, PASSWORD } from '../helpers/session.js'
import { versionedPath } from '../../api/http/version.js'

type Schema = Record<string, unknown>
interface Operation {
  summary?: string
  parameters?: { name: string; in: string }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>
}
interface Document {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Schema> }
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete']

/** Every method and path the app answers (middleware left out), as Hono registered them. */
function allServed(app: App): string[] {
  const keys = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)
  return [...new Set(keys)].sort()
}

/** The routes of version 1 of the API: what the document describes. */
function served(app: App): string[] {
  return allServed(app).filter((key) => key.split(' ')[1]?.startsWith('/api/v1/'))
}

function operations(doc: Document): [key: string, op: Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
  )
}

/**
 * Whether a served route is the documented operation: the same path with `{name}` for `:name`;
 * a tile route stands for the paths its registry generates (`/tiles/:layer/…` for
 * `/tiles/assets/{z}/{x}/{y}.mvt`).
 */
function describes(route: string, documented: string): boolean {
  const [method, path] = route.split(' ') as [string, string]
  const [docMethod, docPath] = documented.split(' ') as [string, string]
  if (method !== docMethod) return false
  if (path.replace(/:(\w+)/g, '{$1}') === docPath) return true
  if (!path.startsWith('/api/v1/tiles/')) return false
  const pattern = path
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${pattern}$`).test(docPath)
}

function resolve(doc: Document, schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((s) => resolve(doc, s))
  if (!schema || typeof schema !== 'object') return schema
  const ref = (schema as { $ref?: string }).$ref
  if (ref) return resolve(doc, doc.components?.schemas?.[ref.split('/').at(-1) as string])
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(doc, v)]))
}

/** Schemas that say nothing (`{}`, not even a description), with where they are. */
function emptySchemas(schema: unknown, where: string): string[] {
  if (!schema || typeof schema !== 'object') return []
  const s = schema as Schema
  if (Object.keys(s).length === 0) return [where]
  const found: string[] = []
  for (const [name, sub] of Object.entries((s.properties as Schema | undefined) ?? {})) {
    found.push(...emptySchemas(sub, `${where}.${name}`))
  }
  if (s.items) found.push(...emptySchemas(s.items, `${where}[]`))
  for (const key of ['prefixItems', 'anyOf', 'oneOf', 'allOf']) {
    for (const [i, sub] of ((s[key] as unknown[] | undefined) ?? []).entries()) {
      found.push(...emptySchemas(sub, `${where}.${key}[${i}]`))
    }
  }
  return found
}

/**
 * An object that lists its members allows no others: what a route answers must be documented
 * member by member (a schema that allows more says so with additionalProperties).
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed)
  if (!schema || typeof schema !== 'object') return schema
  const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]))
  if (s.properties && !('additionalProperties' in s)) s.additionalProperties = false
  return s
}

describeBackends(
  'the OpenAPI document describes every route',
  (ctx) => {
    const document = async () => {
      const res = await call(ctx().anon, 'GET', '/api/v1/openapi.json')
      expect(res.status).toBe(200)
      // Paths are relative to the document's one server (/api/v1): made whole here.
      const doc = res.json as Document & { servers: { url: string }[] }
      const server = doc.servers[0]?.url ?? ''
      const paths = Object.entries(doc.paths).map(([p, item]) => [`${server}${p}`, item])
      return { ...doc, paths: Object.fromEntries(paths) as Document['paths'] }
    }

    /** Checks a real answer against the schema the document gives for it. */
    async function conforms(
      res: { status: number; headers: Headers; json: unknown; text: string },
      route: string,
    ) {
      const doc = await document()
      const [method, given] = route.split(' ') as [string, string]
      // An unversioned path is an alias of its version-1 path, which the document describes.
      const path = versionedPath(given) ?? given
      const op = doc.paths[path]?.[method.toLowerCase()]
      expect(op, route).toBeDefined()
      const response = op?.responses[String(res.status)]
      expect(response, `${route} answered ${res.status}: ${res.text}`).toBeDefined()
      const type = (res.headers.get('content-type') ?? '').split(';')[0] as string
      const schema = response?.content?.[type]?.schema
      expect(schema, `${route} ${res.status} ${type}`).toBeDefined()
      const parsed = z.fromJSONSchema(closed(resolve(doc, schema)) as never).safeParse(res.json)
      expect(parsed.error?.issues ?? [], `${route} ${res.status}`).toEqual([])
    }

    it('documents every route the app serves, and no route it does not', async () => {
      const doc = await document()
      const documented = operations(doc).map(([key]) => key)
      const routes = served(ctx().anon)
      const missing = routes.filter((r) => !documented.some((d) => describes(r, d)))
      const stale = documented.filter((d) => !routes.some((r) => describes(r, d)))
      expect(missing).toEqual([])
      expect(stale).toEqual([])
      expect(routes.length).toBeGreaterThan(50)
    })

    it('serves each unversioned path as an alias of a version-1 route (the pages for people aside)', () => {
      const all = allServed(ctx().anon)
      const pages = [
        'GET /',
        'GET /toegankelijkheid',
        'GET /accessibility',
        'GET /toegankelijkheid.css',
      ]
      const twins = all
        .filter((key) => !key.split(' ')[1]?.startsWith('/api/v1/') && !pages.includes(key))
        .map((key) => {
          const [method, path] = key.split(' ') as [string, string]
          return [key, `${method} ${versionedPath(path)}`] as const
        })
      expect(twins.length).toBeGreaterThan(50)
      expect(twins.filter(([, twin]) => !all.includes(twin))).toEqual([])
    })

    it('describes each operation for real: parameters, bodies, answers and problems', async () => {
      const doc = await document()
      const faults: string[] = []
      for (const [key, op] of operations(doc)) {
        const path = key.split(' ')[1] as string
        const text = JSON.stringify(op)
        if (!op.summary) faults.push(`${key}: no summary`)
        if (/see docs|placeholder|todo/i.test(text)) faults.push(`${key}: placeholder text`)
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          if (!op.parameters?.some((p) => p.in === 'path' && p.name === name)) {
            faults.push(`${key}: path parameter ${name} undocumented`)
          }
        }
        const statuses = Object.keys(op.responses)
        if (!statuses.some((s) => /^2\d\d$/.test(s))) faults.push(`${key}: no success answer`)
        // Tiles are described by their registry (api/http/tile-sources.ts).
        if (path.startsWith('/api/v1/tiles/')) continue
        for (const status of ['400', '401', '503']) {
          if (!statuses.includes(status)) faults.push(`${key}: ${status} undocumented`)
        }
        for (const [status, response] of Object.entries(op.responses)) {
          const contents = Object.entries(response.content ?? {})
          if (/^[45]/.test(status) && !contents.some(([t]) => t === 'application/problem+json')) {
            faults.push(`${key} ${status}: not a problem`)
          }
          if (/^2/.test(status) && status !== '204' && contents.length === 0) {
            faults.push(`${key} ${status}: no body described`)
          }
          for (const [type, { schema }] of contents) {
            faults.push(...emptySchemas(resolve(doc, schema), `${key} ${status} ${type}`))
          }
        }
        for (const [type, { schema }] of Object.entries(op.requestBody?.content ?? {})) {
          faults.push(...emptySchemas(resolve(doc, schema), `${key} body ${type}`))
        }
      }
      expect(faults).toEqual([])
    })

    it('documents what the account, settings and audit routes really answer', async () => {
      const admin = ctx().app
      await conforms(await call(ctx().anon, 'GET', '/api/auth/me'), 'GET /api/auth/me')
      await conforms(await call(admin, 'GET', '/api/settings'), 'GET /api/settings')
      await conforms(
        await call(admin, 'PATCH', '/api/settings', { verification_max_age_days: 200 }),
        'PATCH /api/settings',
      )
      const made = await call(admin, 'POST', '/api/users', {
        email: 'noor@example.nl',
        display_name: 'Noor',
        role: 'contributor',
      })
      await conforms(made, 'POST /api/users')
      await conforms(
        await call(admin, 'PATCH', `/api/users/${made.json.id}`, { role: 'trusted' }),
        'PATCH /api/users/{id}',
      )
      await conforms(await call(admin, 'GET', '/api/users'), 'GET /api/users')
      await conforms(await call(admin, 'GET', '/api/audit'), 'GET /api/audit')
      await conforms(await call(admin, 'GET', '/api/tokens'), 'GET /api/tokens')
      await conforms(await call(admin, 'GET', '/api/me/export'), 'GET /api/me/export')

      await makeUser(ctx(), 'moderator')
      const browser = new Browser(ctx().app)
      await conforms(await browser.login('moderator@example.nl', PASSWORD), 'POST /api/auth/login')
      await conforms(
        await browser.request('POST', '/api/tokens', { name: 'script' }),
        'POST /api/tokens',
      )
      await conforms(await browser.request('GET', '/api/auth/me'), 'GET /api/auth/me')
      await conforms(
        await call(ctx().anon, 'PATCH', '/api/settings', { public_map: true }),
        'PATCH /api/settings',
      )
    })

    it('documents what the asset, history and moderation routes really answer', async () => {
      const admin = ctx().app
      const created = await call(admin, 'POST', '/api/assets', assetBody({}, [4.37, 52.0]))
      await conforms(created, 'POST /api/assets')
      const id = created.json.id as string
      await conforms(await call(admin, 'GET', '/api/assets'), 'GET /api/assets')
      await conforms(await call(admin, 'GET', `/api/assets/${id}`), 'GET /api/assets/{id}')
      await conforms(
        await call(
          admin,
          'PATCH',
          `/api/assets/${id}`,
          { properties: { capacity: 40 } },
          {
            'if-match': '"v1"',
          },
        ),
        'PATCH /api/assets/{id}',
      )
      await conforms(
        await call(admin, 'POST', `/api/assets/${id}/verify`),
        'POST /api/assets/{id}/verify',
      )
      await conforms(
        await call(admin, 'POST', `/api/assets/${id}/revert`, { version: 1 }),
        'POST /api/assets/{id}/revert',
      )
      await conforms(
        await call(admin, 'GET', `/api/assets/${id}/history`),
        'GET /api/assets/{id}/history',
      )
      await conforms(await call(admin, 'GET', '/api/changes'), 'GET /api/changes')
      await conforms(
        await call(admin, 'GET', '/api/assets/00000000-0000-4000-8000-000000000000'),
        'GET /api/assets/{id}',
      )

      const contributor = await ctx().as('contributor')
      const queued = await call(contributor, 'POST', '/api/assets', assetBody({}, [4.372, 52.001]))
      await conforms(queued, 'POST /api/assets')
      const proposal = queued.json.proposal.id as string
      await conforms(await call(admin, 'GET', '/api/proposals'), 'GET /api/proposals')
      await conforms(
        await call(admin, 'GET', `/api/proposals/${proposal}`),
        'GET /api/proposals/{id}',
      )
      await conforms(
        await call(admin, 'POST', `/api/proposals/${proposal}/approve`, {}),
        'POST /api/proposals/{id}/approve',
      )
      const another = await call(contributor, 'DELETE', `/api/assets/${id}`)
      await conforms(another, 'DELETE /api/assets/{id}')
      await conforms(
        await call(admin, 'POST', `/api/proposals/${another.json.proposal.id}/reject`, {
          reason: 'Bestaat nog',
        }),
        'POST /api/proposals/{id}/reject',
      )
      await conforms(
        await call(admin, 'POST', '/api/import?dryRun=true', {
          type: 'FeatureCollection',
          features: [assetBody({ name: 'Huiskamer' }, [4.373, 52.002])],
        }),
        'POST /api/import',
      )
      await conforms(await call(admin, 'GET', '/api/export.geojson'), 'GET /api/export.geojson')
    })

    it('documents what the OGC API Features routes really answer', async () => {
      const admin = ctx().app
      const made = await call(admin, 'POST', '/api/v1/assets', assetBody({}, [4.37, 52.0]))
      const ogc = '/api/v1/ogc'
      await conforms(await call(admin, 'GET', ogc), `GET ${ogc}`)
      await conforms(await call(admin, 'GET', `${ogc}/conformance`), `GET ${ogc}/conformance`)
      await conforms(await call(admin, 'GET', `${ogc}/collections`), `GET ${ogc}/collections`)
      const item = `GET ${ogc}/collections/{collectionId}/items/{featureId}`
      for (const id of ['places', 'wijken', 'gap-areas']) {
        await conforms(
          await call(admin, 'GET', `${ogc}/collections/${id}`),
          `GET ${ogc}/collections/{collectionId}`,
        )
        const items = await call(admin, 'GET', `${ogc}/collections/${id}/items?limit=2`)
        await conforms(items, `GET ${ogc}/collections/{collectionId}/items`)
        const first = items.json.features[0].id as string
        await conforms(await call(admin, 'GET', `${ogc}/collections/${id}/items/${first}`), item)
      }
      expect(made.status).toBe(201)
      await conforms(
        await call(admin, 'GET', `${ogc}/collections/places/items?kind=x`),
        item.replace('/{featureId}', ''),
      )
      await conforms(
        await call(admin, 'GET', `${ogc}/collections/rivers`),
        `GET ${ogc}/collections/{collectionId}`,
      )
    })

    it('documents what the area, analysis and planning routes really answer', async () => {
      const admin = ctx().app
      await call(admin, 'POST', '/api/assets', assetBody({}, [4.37, 52.0]))
      await conforms(await call(admin, 'GET', '/api/areas?level=gemeente'), 'GET /api/areas')
      await conforms(await call(admin, 'GET', '/api/areas/GM9901'), 'GET /api/areas/{code}')
      await conforms(
        await call(admin, 'GET', '/api/coverage?area=GM9901&res=9&gaps=3'),
        'GET /api/coverage',
      )
      for (const metric of ['population', 'density', 'gap']) {
        await conforms(
          await call(admin, 'GET', `/api/hexes?metric=${metric}&res=8`),
          'GET /api/hexes',
        )
      }
      await conforms(await call(admin, 'GET', '/api/counted'), 'GET /api/counted')
      const q = 'area=GM9901&res=9'
      await conforms(
        await call(admin, 'GET', `/api/scenario-preview?${q}&add=4.375,52.001,library`),
        'GET /api/scenario-preview',
      )
      await conforms(await call(admin, 'GET', `/api/suggestions?${q}&k=2`), 'GET /api/suggestions')
      const saved = await call(admin, 'POST', '/api/scenarios', {
        name: 'Een bibliotheek erbij',
        area: 'GM9901',
        mode: 'line',
        res: 9,
        add: [{ lon: 4.375, lat: 52.001, kind: 'library' }],
      })
      await conforms(saved, 'POST /api/scenarios')
      await conforms(await call(admin, 'GET', '/api/scenarios'), 'GET /api/scenarios')
      await conforms(
        await call(admin, 'GET', `/api/scenarios/${saved.json.id}`),
        'GET /api/scenarios/{id}',
      )
      await conforms(
        await call(admin, 'GET', `/api/scenarios/${saved.json.id}/coverage`),
        'GET /api/scenarios/{id}/coverage',
      )
      await conforms(await call(admin, 'GET', '/reports/GM9901.json?res=9'), 'GET /reports/{file}')
      await conforms(
        await call(admin, 'GET', '/reports/GM9901.gaps.geojson?res=9&limit=5'),
        'GET /reports/{file}',
      )
      await conforms(await call(admin, 'GET', '/api/network'), 'GET /api/network')
      await conforms(await call(admin, 'GET', '/api/data/status'), 'GET /api/data/status')
      await conforms(await call(admin, 'GET', '/api/health'), 'GET /api/health')
      await conforms(await call(admin, 'GET', '/api/kinds'), 'GET /api/kinds')
      await conforms(await call(admin, 'GET', '/api/openapi.json'), 'GET /api/openapi.json')
    })
  },
  {
    config: { regionBbox: NL, regionName: 'Nederland' },
    reset: 'assets',
    setup: (c) => loadSyntheticDelftAreas(c),
  },
)
