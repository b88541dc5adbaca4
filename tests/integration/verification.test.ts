import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { assetBody, call, describeBackends, type TestContext } from '../helpers/backends.js'

/** A claim that would keep a place from ever being flagged as outdated. */
const FOREVER = '2099-01-01T00:00:00Z'

async function counts(ctx: TestContext) {
  const { rows } = await sql<{ n: string }>`select concat_ws(',',
    (select count(*) from assets), (select count(*) from asset_history),
    (select count(*) from proposals)) as n`.execute(ctx.handle.db)
  return rows[0]?.n
}

function expectRefused(res: { status: number; json: any; text: string }, pointer: string) {
  expect(res.status, res.text).toBe(422)
  expect(res.json.errors).toContainEqual(
    expect.objectContaining({ pointer, code: 'read_only', in: 'body' }),
  )
}

describeBackends('only POST /verify sets verified_at and verified_by_role', (ctx) => {
  it.each([
    ['verified_at', FOREVER],
    ['verified_by_role', 'admin'],
  ])('a create carrying %s is refused', async (field, value) => {
    const trusted = await ctx().as('trusted')
    const before = await counts(ctx())
    const res = await call(trusted, 'POST', '/api/assets', assetBody({ [field]: value }))
    expectRefused(res, `/properties/${field}`)
    expect(await counts(ctx())).toBe(before)
  })

  it('a PATCH carrying verified_at is refused; the place stays as it was', async () => {
    const trusted = await ctx().as('trusted')
    const place = (await call(trusted, 'POST', '/api/assets', assetBody())).json
    const before = await counts(ctx())
    const res = await call(
      trusted,
      'PATCH',
      `/api/assets/${place.id}`,
      { properties: { verified_at: FOREVER } },
      { 'if-match': '"v1"' },
    )
    expectRefused(res, '/properties/verified_at')
    expect(await counts(ctx())).toBe(before)
    expect((await call(trusted, 'GET', `/api/assets/${place.id}`)).json).toEqual(place)
  })

  it("a contributor's proposal (create or change) carrying verified_at is refused", async () => {
    const contributor = await ctx().as('contributor')
    const place = (await call(ctx().app, 'POST', '/api/assets', assetBody())).json
    const before = await counts(ctx())
    const create = await call(
      contributor,
      'POST',
      '/api/assets',
      assetBody({ verified_at: FOREVER }),
    )
    expectRefused(create, '/properties/verified_at')
    const change = await call(
      contributor,
      'PATCH',
      `/api/assets/${place.id}`,
      { properties: { name: 'Nieuw', verified_at: FOREVER } },
      { 'if-match': '"v1"' },
    )
    expectRefused(change, '/properties/verified_at')
    expect(await counts(ctx())).toBe(before)
  })

  it('an anonymous suggestion carrying verified_at is refused', async () => {
    await call(ctx().app, 'PATCH', '/api/settings', { anonymous_suggestions: true })
    const before = await counts(ctx())
    const res = await call(ctx().anon, 'POST', '/api/proposals', {
      action: 'create',
      feature: assetBody({ verified_at: FOREVER }),
    })
    expectRefused(res, '/feature/properties/verified_at')
    expect(await counts(ctx())).toBe(before)
  })

  it('an import leaves verified_at out (listed as ignored) and keeps a stamp made by /verify', async () => {
    const file = (verifiedAt: string) =>
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ ...assetBody({ source_ref: 'b-1', verified_at: verifiedAt }) }],
      })
    const imported = await call(ctx().app, 'POST', '/api/import', file(FOREVER), {
      'content-type': 'application/geo+json',
    })
    expect(imported.status, imported.text).toBe(200)
    expect(imported.json).toMatchObject({ created: 1, ignored_fields: ['verified_at'] })
    const [place] = (await call(ctx().app, 'GET', '/api/assets')).json.features
    expect(place.properties.verified_at).toBeNull()

    const verified = await call(ctx().app, 'POST', `/api/assets/${place.id}/verify`)
    expect(verified.status).toBe(200)
    // The same file again (an export read back, say) neither changes nor un-checks the place.
    const again = await call(ctx().app, 'POST', '/api/import', file('2001-01-01T00:00:00Z'), {
      'content-type': 'application/geo+json',
    })
    expect(again.json).toMatchObject({ created: 0, updated: 0, unchanged: 1 })
    expect((await call(ctx().app, 'GET', `/api/assets/${place.id}`)).json).toEqual(verified.json)
  })
})
