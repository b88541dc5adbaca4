import fs from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { expect, it } from 'vitest'
import { migrations } from '../../api/db/migrations/index.js'
import { SEED_FILE } from '../../api/seed-file.js'
import { seedIfEmpty } from '../../api/services/seed.js'
import { call, describeBackends, testSchemas } from '../helpers/backends.js'

describeBackends('health, taxonomy, OpenAPI and seed', (ctx) => {
  it('reports health with the backend, PostGIS and migration version', async () => {
    const res = await call(ctx().app, 'GET', '/api/health')
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      status: 'ok',
      database: {
        reachable: true,
        backend: ctx().backend,
        postgis: expect.stringMatching(/^3\.\d+/) as unknown,
        migration: Object.keys(migrations).at(-1),
      },
    })
  })

  it('serves the taxonomy with Dutch and English labels and meeting-place defaults', async () => {
    const res = await call(ctx().app, 'GET', '/api/kinds')
    expect(res.status).toBe(200)
    const byCode = Object.fromEntries(res.json.kinds.map((k: { code: string }) => [k.code, k]))
    expect(byCode.community_centre).toMatchObject({
      label: { nl: 'Buurthuis / wijkcentrum', en: 'Community centre' },
      is_meeting_place: true,
      osm_tags: ['amenity=community_centre'],
    })
    expect(byCode.bench.is_meeting_place).toBe(false)
    expect(res.json.wheelchair.map((w: { code: string }) => w.code)).toEqual([
      'yes',
      'limited',
      'no',
      'unknown',
    ])
    expect(res.json.target_groups.length).toBeGreaterThan(5)
  })

  it('previews opening hours for the place form: Dutch notation in, OSM syntax out', async () => {
    const res = await call(
      ctx().anon,
      'GET',
      `/api/opening-hours?text=${encodeURIComponent('di-do 10-16 uur')}`,
    )
    expect(res.status, res.text).toBe(200)
    expect(res.json).toEqual({ opening_hours: 'Tu-Th 10:00-16:00', notation: 'dutch' })
    const osm = await call(ctx().anon, 'GET', '/api/opening-hours?text=Mo-Fr%2009:00-17:00')
    expect(osm.json).toEqual({ opening_hours: 'Mo-Fr 09:00-17:00', notation: 'osm' })
    const bad = await call(ctx().anon, 'GET', '/api/opening-hours?text=ma-vr')
    expect(bad.status).toBe(422)
    expect(bad.headers.get('content-type')).toContain('application/problem+json')
    expect(bad.json.errors[0]).toMatchObject({
      pointer: 'text',
      in: 'query',
      code: 'invalid_opening_hours',
    })
    expect(bad.json.errors[0].messages.nl).toContain('Bij "ma-vr" staat geen tijd.')
  })

  it('publishes an OpenAPI 3.1 document generated from the validating schemas', async () => {
    const res = await call(ctx().app, 'GET', '/api/v1/openapi.json')
    expect(res.status).toBe(200)
    expect(res.json.openapi).toBe('3.1.0')
    // Paths are relative to the server, /api/v1.
    expect(res.json.servers).toEqual([expect.objectContaining({ url: '/api/v1' })])
    for (const path of [
      '/assets',
      '/assets/{id}',
      '/assets/{id}/restore',
      '/assets/{id}/history',
      '/import',
      '/exports/assets.csv',
      '/areas',
      '/areas/{code}',
      '/kinds',
      '/health',
      '/ogc/collections/{collectionId}/items',
    ]) {
      expect(Object.keys(res.json.paths), path).toContain(path)
    }
    const create = JSON.stringify(res.json.paths['/assets'].post.requestBody)
    const schemas = JSON.stringify(res.json.components?.schemas ?? {})
    expect(create + schemas).toContain('opening_hours')
    expect(schemas).toContain('community_centre')
  })

  it('answers unknown routes with a problem in the requested language', async () => {
    const nl = await call(ctx().app, 'GET', '/api/nothing-here')
    expect(nl.status).toBe(404)
    expect(nl.headers.get('content-type')).toContain('application/problem+json')
    expect(nl.json.title).toBe('Niet gevonden')
    const en = await call(ctx().app, 'GET', '/api/nothing-here', undefined, {
      'accept-language': 'en-GB,en;q=0.9',
    })
    expect(en.json.title).toBe('Not found')
  })

  it('seeds an empty register once with the research places and their honest precision', async () => {
    const deps = { db: ctx().handle.db, clock: ctx().clock, schemas: testSchemas }
    const seed = fs.readFileSync(SEED_FILE, 'utf8')
    const first = await seedIfEmpty(deps, seed)
    expect(first).toMatchObject({ created: 16, errors: [] })
    expect(await seedIfEmpty(deps, seed)).toBeUndefined()
    const list = await call(ctx().app, 'GET', '/api/assets?limit=100')
    expect(list.json.features).toHaveLength(16)
    for (const f of list.json.features) {
      expect(f.properties.source).toBe('seed')
      expect(['town', 'district']).toContain(f.properties.location_precision)
    }
    const homerus = list.json.features.find(
      (f: { properties: { name: string } }) => f.properties.name === 'Homerushuis',
    )
    expect(homerus.properties.status).toBe('planned')
  })

  it('sends JSON gzipped to a client that takes it, but never an answer whose ETag guards an edit', async () => {
    const deps = { db: ctx().handle.db, clock: ctx().clock, schemas: testSchemas }
    await seedIfEmpty(deps, fs.readFileSync(SEED_FILE, 'utf8'))
    const get = (url: string, encoding?: string) =>
      ctx().anon.request(url, encoding ? { headers: { 'accept-encoding': encoding } } : {})

    // The register as GeoJSON (well over 1 KB): gzipped, and the same JSON once unpacked.
    const plain = await get('/api/v1/assets?limit=100')
    const zipped = await get('/api/v1/assets?limit=100', 'gzip, deflate, br')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    for (const res of [plain, zipped]) expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i)
    const text = await plain.text()
    const packed = Buffer.from(await zipped.arrayBuffer())
    expect(packed.length).toBeLessThan(text.length / 2)
    expect(JSON.parse(gunzipSync(packed).toString())).toEqual(JSON.parse(text))

    // One place: its strong ETag is what the next edit sends in If-Match, so it stays as it is.
    const id = (JSON.parse(text) as { features: { id: string }[] }).features[0]!.id
    const one = await get(`/api/v1/assets/${id}`, 'gzip')
    expect(one.status).toBe(200)
    expect(one.headers.get('content-encoding')).toBeNull()
    expect(one.headers.get('etag')).toMatch(/^"/)
  })
})
