import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { assetBody, call, describeBackends, type TestContext } from '../helpers/backends.js'
import { Browser, makeUser, PASSWORD } from '../helpers/session.js'

const NUL = '\u0000'
/** Half of a UTF-16 surrogate pair on its own: not text, cannot be written as UTF-8. */
const LONE = '\ud800'

/** Rows in every table a request could write to. */
async function counts(ctx: TestContext) {
  const { rows } = await sql<{ n: string }>`select concat_ws(',',
    (select count(*) from assets), (select count(*) from asset_history),
    (select count(*) from proposals), (select count(*) from users),
    (select count(*) from api_tokens), (select count(*) from scenarios),
    (select count(*) from sessions), (select count(*) from login_failures),
    (select count(*) from audit_log)) as n`.execute(ctx.handle.db)
  return rows[0]?.n
}

interface Case {
  readonly what: string
  readonly method: string
  /** The URL; `{proposal}` and `{user}` are filled in with ids made before the case. */
  readonly url: string
  readonly body?: unknown
  readonly anonymous?: boolean
  readonly in: 'query' | 'path' | 'body'
  readonly pointer: string
}

const cursorWithNul = Buffer.from(
  JSON.stringify([`a${NUL}`, '00000000-0000-4000-8000-000000000000']),
).toString('base64url')

const CASES: Case[] = [
  {
    what: 'login e-mail',
    method: 'POST',
    url: '/api/auth/login',
    body: { email: `ada${NUL}@example.nl`, password: 'een-lang-wachtwoord-42' },
    anonymous: true,
    in: 'body',
    pointer: '/email',
  },
  { what: 'list q', method: 'GET', url: '/api/assets?q=a%00', in: 'query', pointer: 'q' },
  { what: 'export q', method: 'GET', url: '/api/export.csv?q=%00', in: 'query', pointer: 'q' },
  {
    what: 'export GeoJSON q',
    method: 'GET',
    url: '/api/export.geojson?q=%00',
    in: 'query',
    pointer: 'q',
  },
  {
    what: 'tile q',
    method: 'GET',
    url: '/tiles/assets/14/8440/5386.mvt?q=%00',
    in: 'query',
    pointer: 'q',
  },
  {
    what: 'cursor that decodes to a NUL',
    method: 'GET',
    url: `/api/assets?cursor=${cursorWithNul}`,
    in: 'query',
    pointer: 'cursor',
  },
  { what: 'area code', method: 'GET', url: '/api/areas/GM%00', in: 'path', pointer: 'code' },
  {
    what: 'anonymous suggestion note',
    method: 'POST',
    url: '/api/proposals',
    body: { action: 'create', feature: assetBody(), note: `kijk${NUL}` },
    anonymous: true,
    in: 'body',
    pointer: '/note',
  },
  {
    what: 'scenario name',
    method: 'POST',
    url: '/api/scenarios',
    body: { name: `Plan${NUL}`, area: 'GM0995' },
    in: 'body',
    pointer: '/name',
  },
  {
    what: 'scenario add[].name',
    method: 'POST',
    url: '/api/scenarios',
    body: {
      name: 'Plan',
      area: 'GM0995',
      add: [{ lon: 5.47, lat: 52.51, kind: 'community_centre', name: `Huis${NUL}` }],
    },
    in: 'body',
    pointer: '/add/0/name',
  },
  {
    what: 'token name',
    method: 'POST',
    url: '/api/tokens',
    body: { name: `script${NUL}` },
    in: 'body',
    pointer: '/name',
  },
  {
    what: 'new user display_name',
    method: 'POST',
    url: '/api/users',
    body: { email: 'nieuw@example.nl', display_name: `Nieuw${NUL}`, role: 'contributor' },
    in: 'body',
    pointer: '/display_name',
  },
  {
    what: 'new user e-mail',
    method: 'POST',
    url: '/api/users',
    body: { email: `nieuw${NUL}@example.nl`, display_name: 'Nieuw', role: 'contributor' },
    in: 'body',
    pointer: '/email',
  },
  {
    what: 'changed display_name',
    method: 'PATCH',
    url: '/api/users/{user}',
    body: { display_name: `Fatima${NUL}` },
    in: 'body',
    pointer: '/display_name',
  },
  {
    what: 'approve reason',
    method: 'POST',
    url: '/api/proposals/{proposal}/approve',
    body: { reason: `goed${NUL}` },
    in: 'body',
    pointer: '/reason',
  },
  {
    what: 'reject reason',
    method: 'POST',
    url: '/api/proposals/{proposal}/reject',
    body: { reason: `dubbel${NUL}` },
    in: 'body',
    pointer: '/reason',
  },
  {
    what: 'asset name with a lone surrogate',
    method: 'POST',
    url: '/api/assets',
    body: assetBody({ name: `Huis ${LONE}` }),
    in: 'body',
    pointer: '/properties/name',
  },
  {
    what: 'a field name with a NUL',
    method: 'PATCH',
    url: '/api/settings',
    body: { [`public_map${NUL}`]: true },
    in: 'body',
    pointer: `/public_map${NUL}`,
  },
]

describeBackends('text PostgreSQL cannot store', (ctx) => {
  it.each(CASES)('$what: refused at the boundary, nothing written', async (c) => {
    // A pending proposal and a second account for the cases that act on one.
    const contributor = await ctx().as('contributor')
    const proposal = (await call(contributor, 'POST', '/api/assets', assetBody())).json.proposal
    const user = (
      await call(ctx().app, 'POST', '/api/users', {
        email: 'fatima@example.nl',
        display_name: 'Fatima',
        role: 'contributor',
      })
    ).json
    await call(ctx().app, 'PATCH', '/api/settings', { anonymous_suggestions: true })
    const url = c.url.replace('{proposal}', proposal.id).replace('{user}', user.id)
    // Signed in with a password: making a token needs it.
    await makeUser(ctx(), 'admin', 'Ada', 'ada@example.nl')
    const admin = new Browser(ctx().anon)
    expect((await admin.login('ada@example.nl', PASSWORD)).status).toBe(200)
    const before = await counts(ctx())

    const res = c.anonymous
      ? await call(ctx().anon, c.method, url, c.body)
      : await admin.request(c.method, url, c.body)

    expect(res.status, res.text).toBe(c.in === 'body' ? 422 : 400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(res.json.errors).toContainEqual(
      expect.objectContaining({ pointer: c.pointer, in: c.in }),
    )
    const field = res.json.errors.find((e: { pointer: string }) => e.pointer === c.pointer)
    expect(field.messages.nl.length).toBeGreaterThan(0)
    expect(field.messages.en.length).toBeGreaterThan(0)
    expect(await counts(ctx())).toBe(before)
  })
})
