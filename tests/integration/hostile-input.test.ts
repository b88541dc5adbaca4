import fc from 'fast-check'
import { expect, it } from 'vitest'
import { ATTRIBUTE_FIELDS } from '../../api/domain/asset.js'
import { countAssets } from '../../api/repositories/assets.js'
import { countHistory } from '../../api/repositories/history.js'
import {
  assetBody,
  call,
  describeBackends,
  TEST_CONFIG,
  type TestContext,
} from '../helpers/backends.js'

/** Values that have broken APIs before: wrong types, extremes, injection strings, deep nesting. */
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-1e999',
    '<script>alert(1)</script>',
    "'; drop table assets; --",
    '\u0000',
    '\u202e',
    '💥'.repeat(300),
    'x'.repeat(6000),
    -1,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    0.1,
    [],
    {},
    [[[[[[[[]]]]]]]],
    { __proto__: { polluted: true } },
    { type: 'Point', coordinates: [5.47] },
    { type: 'Point', coordinates: [5.47, 52.51, 0, 0] },
    { type: 'Point', coordinates: ['5.47', '52.51'] },
    {
      type: 'LineString',
      coordinates: [
        [5.47, 52.51],
        [5.48, 52.52],
      ],
    },
    { type: 'Point', coordinates: [52.51, 5.47] },
    { type: 'Point', coordinates: [181, 52.5] },
  ),
)

const FIELDS = [...ATTRIBUTE_FIELDS, 'unknown_field']

/** A valid body with one part replaced by something hostile. */
const mutatedBody = fc
  .record({
    where: fc.constantFrom('geometry', 'properties', 'root', ...FIELDS),
    value: hostileValue,
  })
  .map(({ where, value }) => {
    const body: Record<string, unknown> = assetBody()
    if (where === 'geometry' || where === 'properties') body[where] = value
    else if (where === 'root') body.extra = value
    else (body.properties as Record<string, unknown>)[where] = value
    return body
  })

async function snapshot(ctx: TestContext) {
  return { assets: await countAssets(ctx.handle.db), history: await countHistory(ctx.handle.db) }
}

function expectProblem(res: { status: number; headers: Headers; json: any }) {
  expect(res.status).toBeGreaterThanOrEqual(400)
  expect(res.status).toBeLessThan(500)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
  expect(typeof res.json.title).toBe('string')
  expect(res.json.messages.detail.en.length).toBeGreaterThan(0)
  expect(res.json.messages.detail.nl.length).toBeGreaterThan(0)
}

describeBackends('hostile input (property-based)', (ctx) => {
  it('POST /api/assets: any JSON that is not an asset gets a 4xx problem and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const before = await snapshot(ctx())
        const res = await call(ctx().app, 'POST', '/api/assets', JSON.stringify(body))
        expectProblem(res)
        expect(await snapshot(ctx())).toEqual(before)
      }),
      { numRuns: 120 },
    )
  })

  it('POST /api/assets: a valid body with one hostile part is either created whole or refused with no change', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody, async (body) => {
        const before = await snapshot(ctx())
        const res = await call(ctx().app, 'POST', '/api/assets', JSON.stringify(body))
        if (res.status === 201) {
          expect(await snapshot(ctx())).toEqual({
            assets: before.assets + 1,
            history: before.history + 1,
          })
          const [lon, lat] = res.json.geometry.coordinates
          expect(lon).toBeGreaterThanOrEqual(TEST_CONFIG.regionBbox[0])
          expect(lat).toBeLessThanOrEqual(TEST_CONFIG.regionBbox[3])
        } else {
          expectProblem(res)
          expect(await snapshot(ctx())).toEqual(before)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('PATCH: hostile bodies and If-Match values never give a 500 and never half-change an asset', async () => {
    const created = await call(ctx().app, 'POST', '/api/assets', assetBody())
    const id = created.json.id as string
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutatedBody, fc.jsonValue()),
        fc.constantFrom('"v1"', '"v999"', '*', 'W/"v1"', 'garbage', '"v-1"', ''),
        async (body, ifMatch) => {
          const current = await call(ctx().app, 'GET', `/api/assets/${id}`)
          const before = await snapshot(ctx())
          const res = await call(ctx().app, 'PATCH', `/api/assets/${id}`, JSON.stringify(body), {
            'if-match': ifMatch,
          })
          if (res.status === 200) {
            expect(res.json.properties.version).toBeGreaterThanOrEqual(
              current.json.properties.version,
            )
          } else {
            expectProblem(res)
            expect(await snapshot(ctx())).toEqual(before)
            expect((await call(ctx().app, 'GET', `/api/assets/${id}`)).json).toEqual(current.json)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('malformed JSON, wrong content types and non-UTF-8 bytes get a 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
        async (text, type) => {
          const before = await snapshot(ctx())
          const res = await call(
            ctx().app,
            'POST',
            '/api/assets',
            text,
            type ? { 'content-type': type } : {},
          )
          if (res.status !== 201) {
            expectProblem(res)
            expect(await snapshot(ctx())).toEqual(before)
          }
        },
      ),
      { numRuns: 100 },
    )
    const bytes = await ctx().app.request('/api/assets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    })
    expect(bytes.status).toBeGreaterThanOrEqual(400)
    expect(bytes.status).toBeLessThan(500)
  })

  it('POST /api/import: hostile files are refused whole; a dry run never writes', async () => {
    const hostileFile = fc.oneof(
      fc.string().map((s) => ({ body: s, type: 'text/csv' })),
      fc.jsonValue().map((v) => ({ body: JSON.stringify(v), type: 'application/geo+json' })),
      fc.array(fc.oneof(mutatedBody, fc.jsonValue()), { maxLength: 5 }).map((features) => ({
        body: JSON.stringify({ type: 'FeatureCollection', features }),
        type: 'application/geo+json',
      })),
      fc
        .array(fc.tuple(fc.string(), fc.string(), fc.string(), fc.string()), { maxLength: 5 })
        .map((rows) => ({
          body: ['name,kind,lon,lat', ...rows.map((r) => r.join(','))].join('\n'),
          type: 'text/csv',
        })),
    )
    await fc.assert(
      fc.asyncProperty(hostileFile, fc.boolean(), async ({ body, type }, dryRun) => {
        const before = await snapshot(ctx())
        const res = await call(
          ctx().app,
          'POST',
          `/api/import${dryRun ? '?dryRun=true' : ''}`,
          body,
          { 'content-type': type },
        )
        if (res.status === 200) {
          const after = await snapshot(ctx())
          if (dryRun) expect(after).toEqual(before)
          else expect(after.assets).toBe(before.assets + res.json.created)
        } else {
          expectProblem(res)
          expect(await snapshot(ctx())).toEqual(before)
        }
      }),
      { numRuns: 120 },
    )
  })

  it('refuses a body over the size limit with 413', async () => {
    const big = assetBody({ description: 'x'.repeat(TEST_CONFIG.maxBodyBytes) })
    const res = await call(ctx().app, 'POST', '/api/assets', big)
    expect(res.status).toBe(413)
    expectProblem(res)
    expect(await countAssets(ctx().handle.db)).toBe(0)
  })
})
