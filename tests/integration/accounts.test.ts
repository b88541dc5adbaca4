import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { Database } from '../../api/db/database.js'
import { createApp, type AppDeps, type Logger } from '../../api/http/app.js'
import type { Clock } from '../../api/domain/clock.js'
import { sha256, THROTTLE } from '../../api/services/auth.js'
import { assetBody, call, describeBackends, TEST_CONFIG } from '../helpers/backends.js'
import { findUser } from '../../api/repositories/users.js'
import { updateUser } from '../../api/services/users.js'
import { Browser, makeUser, PASSWORD } from '../helpers/session.js'

const DAY = 24 * 3600_000

/** A clock that stands still until a test moves it on: delays without sleeping. */
function manualClock(start = '2026-11-21T10:00:00Z') {
  let t = Date.parse(start)
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms
    },
  }
}

/** Waits (up to 2 s) until a statement in this database waits for a lock: the other side of a race. */
async function lockWaiter(db: Database) {
  for (let i = 0; i < 100; i++) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
      where not granted and database = (select oid from pg_database where datname = current_database())`.execute(
      db,
    )
    if (rows[0]!.n > 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describeBackends(
  'accounts and sessions',
  (ctx) => {
    /** The app on this suite's database with its own clock (and configuration). */
    const appWith = (clock: Clock, config: Partial<AppDeps['config']> = {}) =>
      createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock,
        config: { ...TEST_CONFIG, ...config },
      })

    it('stores only a scrypt hash of the password and signs in with an HttpOnly, SameSite=Lax cookie', async () => {
      const user = await makeUser(ctx(), 'trusted')
      const row = await ctx()
        .handle.db.selectFrom('users')
        .select('password_hash')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow()
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/)
      expect(row.password_hash).not.toContain(PASSWORD)

      const b = new Browser(ctx().anon)
      const res = await b.login('TRUSTED@example.nl ', PASSWORD)
      expect(res.status, res.text).toBe(200)
      const cookie = res.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/bk_session=[\w-]{40,}/)
      expect(cookie).toMatch(/HttpOnly/)
      expect(cookie).toMatch(/SameSite=Lax/)
      expect(cookie).not.toMatch(/Secure/) // plain http here; see the HTTPS test
      expect(res.json.user).toMatchObject({ email: 'trusted@example.nl', role: 'trusted' })
      expect(res.json.user.password_hash).toBeUndefined()
      const sessions = await ctx().handle.db.selectFrom('sessions').selectAll().execute()
      expect(sessions).toHaveLength(1)
      expect(sessions[0]!.id_hash).toBe(sha256(b.cookie!)) // the id itself is not stored

      const me = await b.request('GET', '/api/auth/me')
      expect(me.json).toMatchObject({ user: { id: user.id }, role: 'trusted', csrf_token: b.csrf })
      const created = await b.request('POST', '/api/assets', assetBody())
      expect(created.status, created.text).toBe(201)
      expect(created.json.properties.created_by).toBe(`user:${user.id}`)

      expect((await b.request('POST', '/api/auth/logout')).status).toBe(204)
      expect((await b.request('GET', '/api/auth/me')).json.user).toBeNull()
      expect(await ctx().handle.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0)
    })

    it('marks the cookie Secure and sends HSTS behind an HTTPS proxy', async () => {
      await makeUser(ctx(), 'contributor')
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: ctx().clock,
        config: { ...TEST_CONFIG, trustProxy: true },
      })
      const b = new Browser(app, { 'x-forwarded-proto': 'https' })
      const res = await b.login('contributor@example.nl', PASSWORD)
      expect(res.headers.get('set-cookie')).toMatch(/Secure/)
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
      const plain = await call(ctx().anon, 'GET', '/api/health')
      expect(plain.headers.get('strict-transport-security')).toBeNull()
    })

    it('gives the same answer for an unknown e-mail and a wrong password', async () => {
      await makeUser(ctx(), 'contributor')
      const unknown = await new Browser(ctx().anon).login('nobody@example.nl', PASSWORD)
      const wrong = await new Browser(ctx().anon).login(
        'contributor@example.nl',
        'niet-het-wachtwoord',
      )
      expect(unknown.status).toBe(401)
      expect(wrong.status).toBe(401)
      expect(unknown.json.detail).toBe(wrong.json.detail)
      expect(unknown.json.messages).toEqual(wrong.json.messages)
      expect(unknown.headers.get('set-cookie')).toBeNull()
    })

    it('rotates the session id at login: a planted id never becomes a signed-in session', async () => {
      await makeUser(ctx(), 'moderator')
      // The attacker's own valid session, planted in the victim's browser …
      const attacker = new Browser(ctx().anon)
      await attacker.login('moderator@example.nl', PASSWORD)
      const planted = attacker.cookie!
      // … and one the attacker made up.
      for (const fixed of [planted, 'made-up-session-id-0123456789']) {
        const victim = new Browser(ctx().anon)
        victim.cookie = fixed
        const res = await victim.login('moderator@example.nl', PASSWORD)
        expect(res.status).toBe(200)
        expect(victim.cookie).toBeDefined()
        expect(victim.cookie).not.toBe(fixed)
        const old = new Browser(ctx().anon)
        old.cookie = fixed
        expect((await old.request('GET', '/api/auth/me')).json.user).toBeNull()
      }
    })

    it('refuses a cookie-authenticated change without the CSRF token, or from another site', async () => {
      await makeUser(ctx(), 'trusted')
      const b = new Browser(ctx().anon)
      await b.login('trusted@example.nl', PASSWORD)
      const csrf = b.csrf
      b.csrf = undefined
      const missing = await b.request('POST', '/api/assets', assetBody())
      expect(missing.status).toBe(403)
      expect(missing.headers.get('content-type')).toMatch(/problem\+json/)
      expect(missing.json.reason).toBe('csrf_failed')
      b.csrf = 'a'.repeat(43)
      expect((await b.request('POST', '/api/assets', assetBody())).status).toBe(403)
      b.csrf = csrf
      const crossSite = await b.request('POST', '/api/assets', assetBody(), {
        origin: 'https://evil.example',
      })
      expect(crossSite.status).toBe(403)
      for (const origin of ['null', 'not a url', 'http://']) {
        const odd = await b.request('POST', '/api/assets', assetBody(), { origin })
        expect(odd.status, origin).toBe(403)
      }
      // A login form posted from another site is refused too (login CSRF).
      const forged = await new Browser(ctx().anon).request(
        'POST',
        '/api/auth/login',
        { email: 'trusted@example.nl', password: PASSWORD },
        { origin: 'https://evil.example' },
      )
      expect(forged.status).toBe(403)
      expect((await call(ctx().app, 'GET', '/api/assets')).json.features).toHaveLength(0)
      const ok = await b.request('POST', '/api/assets', assetBody(), { origin: 'http://localhost' })
      expect(ok.status).toBe(201)
    })

    it('slows failed logins with a growing delay (429 + Retry-After), also for an unknown account; the right password works once it has passed', async () => {
      await makeUser(ctx(), 'admin')
      const clock = manualClock()
      const app = appWith(clock)
      const login = (email: string, password: string) => new Browser(app).login(email, password)
      for (const email of ['admin@example.nl', 'unknown@example.nl']) {
        for (let i = 0; i < THROTTLE.pair.free; i++) {
          expect((await login(email, 'fout-wachtwoord-1')).status).toBe(401)
        }
        const waits: number[] = []
        for (let i = 0; i < 3; i++) {
          const early = await login(email, PASSWORD)
          expect(early.status).toBe(429)
          expect(early.json.code).toBe('too_many_requests')
          waits.push(Number(early.headers.get('retry-after')))
          clock.advance(waits[i]! * 1000)
          expect((await login(email, 'fout-wachtwoord-1')).status).toBe(401)
        }
        expect(waits).toEqual([1, 2, 4].map((n) => (n * THROTTLE.baseMs) / 1000))
      }
      const early = await login('admin@example.nl', PASSWORD)
      expect(early.status).toBe(429)
      clock.advance(Number(early.headers.get('retry-after')) * 1000)
      expect((await login('admin@example.nl', PASSWORD)).status).toBe(200)
      const stored = await ctx().handle.db.selectFrom('login_failures').select('key_hash').execute()
      expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true)
    })

    it('does not let a guesser at another address keep the owner out for long', async () => {
      await makeUser(ctx(), 'admin')
      const clock = manualClock()
      const app = appWith(clock, { trustProxy: true })
      const from = (address: string) => new Browser(app, { 'x-forwarded-for': address })
      // A guesser tries as fast as allowed: 20 wrong passwords, waiting out every delay.
      for (let failures = 0; failures < 25;) {
        const res = await from('203.0.113.7').login('admin@example.nl', `gok-${failures}-abcdef`)
        if (res.status === 429) clock.advance(Number(res.headers.get('retry-after')) * 1000)
        else if (res.status === 401) failures++
        else throw new Error(`unexpected ${res.status}`)
      }
      expect((await from('203.0.113.7').login('admin@example.nl', PASSWORD)).status).toBe(429)
      const owner = await from('198.51.100.1').login('admin@example.nl', PASSWORD)
      expect(owner.status).toBe(429)
      const wait = Number(owner.headers.get('retry-after'))
      expect(wait).toBeLessThanOrEqual(THROTTLE.account.capMs / 1000)
      clock.advance(wait * 1000)
      expect((await from('198.51.100.1').login('admin@example.nl', PASSWORD)).status).toBe(200)
    })

    it('slows failed logins per address behind a trusted proxy, without locking that address out', async () => {
      await makeUser(ctx(), 'contributor')
      const clock = manualClock()
      const app = appWith(clock, { trustProxy: true })
      const from = (address: string) => new Browser(app, { 'x-forwarded-for': address })
      for (let i = 0; i < THROTTLE.address.free; i++) {
        // Different accounts each time, and a made-up first hop: only the proxy's hop links them.
        const forged = `10.0.${i}.1, 203.0.113.7`
        expect((await from(forged).login(`guess${i}@example.nl`, 'x')).status).toBe(401)
      }
      const slowed = await from('203.0.113.7').login('contributor@example.nl', PASSWORD)
      expect(slowed.status).toBe(429)
      expect(Number(slowed.headers.get('retry-after'))).toBe(THROTTLE.baseMs / 1000)
      expect((await from('198.51.100.1').login('contributor@example.nl', PASSWORD)).status).toBe(
        200,
      )
      clock.advance(THROTTLE.baseMs)
      expect((await from('203.0.113.7').login('contributor@example.nl', PASSWORD)).status).toBe(200)
    })

    it('checks at most one of many parallel guesses once a delay applies; the others get 429', async () => {
      await makeUser(ctx(), 'moderator')
      const clock = manualClock()
      const app = appWith(clock)
      const guess = () => new Browser(app).login('moderator@example.nl', 'fout-wachtwoord-3')
      for (let i = 0; i < THROTTLE.pair.free; i++) expect((await guess()).status).toBe(401)
      clock.advance(THROTTLE.baseMs)
      const statuses = (await Promise.all(Array.from({ length: 8 }, guess))).map((r) => r.status)
      // Each attempt counts the others in flight: at most one is checked, none by chance twice.
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(1)
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([])
    })

    it('keeps an active admin: the last one cannot be demoted, disabled or deleted (409), not even in a race', async () => {
      const ada = await makeUser(ctx(), 'admin', 'Ada', 'ada@example.nl')
      const b = new Browser(ctx().anon)
      await b.login('ada@example.nl', PASSWORD)
      for (const [method, body] of [
        ['PATCH', { role: 'moderator' }],
        ['PATCH', { disabled: true }],
        ['DELETE', undefined],
      ] as const) {
        const res = await b.request(method, `/api/users/${ada.id}`, body)
        expect(res.status, res.text).toBe(409)
        expect(res.headers.get('content-type')).toMatch(/problem\+json/)
        expect(res.json.detail).toMatch(/laatste actieve beheerder/)
      }
      const en = await b.request('DELETE', `/api/users/${ada.id}`, undefined, {
        'accept-language': 'en',
      })
      expect(en.json.detail).toMatch(/last active administrator/)
      expect(await findUser(ctx().handle.db, ada.id)).toMatchObject({
        role: 'admin',
        disabled_at: null,
        deleted_at: null,
      })
      // Bo steps down, and while his change is not yet committed Ada is disabled: that change
      // waits for his and then refuses, so one admin remains.
      const bo = await makeUser(ctx(), 'admin', 'Bo', 'bo@example.nl')
      let disabling: Promise<unknown> = Promise.resolve()
      await ctx()
        .handle.db.transaction()
        .execute(async (trx) => {
          await trx.updateTable('users').set({ role: 'trusted' }).where('id', '=', bo.id).execute()
          disabling = updateUser(
            ctx().handle.db,
            ada.id,
            { disabled: true },
            { actor: 'test', clock: ctx().clock },
          ).catch((e: unknown) => e)
          // PostgreSQL: commit only once the other change is waiting (PGlite runs it after).
          if (ctx().backend === 'postgresql') await lockWaiter(ctx().handle.db)
        })
      expect(await disabling).toMatchObject({ code: 'conflict' })
      expect(await findUser(ctx().handle.db, ada.id)).toMatchObject({
        role: 'admin',
        disabled_at: null,
      })
    })

    it('signs out everywhere', async () => {
      await makeUser(ctx(), 'contributor')
      const phone = new Browser(ctx().anon)
      const laptop = new Browser(ctx().anon)
      await phone.login('contributor@example.nl', PASSWORD)
      await laptop.login('contributor@example.nl', PASSWORD)
      expect((await laptop.request('POST', '/api/auth/logout-all')).status).toBe(204)
      expect((await phone.request('GET', '/api/auth/me')).json.user).toBeNull()
      expect((await laptop.request('GET', '/api/auth/me')).json.user).toBeNull()
    })

    it('makes API tokens: shown once, stored hashed, scoped to a role, revocable', async () => {
      await makeUser(ctx(), 'moderator')
      const b = new Browser(ctx().anon)
      await b.login('moderator@example.nl', PASSWORD)
      const tooHigh = await b.request('POST', '/api/tokens', { name: 'x', role: 'admin' })
      expect(tooHigh.status).toBe(403)
      const made = await b.request('POST', '/api/tokens', { name: 'import', role: 'trusted' })
      expect(made.status).toBe(201)
      const secret: string = made.json.secret
      expect(secret).toMatch(/^bk_[\w-]{40,}$/)
      const rows = await ctx().handle.db.selectFrom('api_tokens').selectAll().execute()
      expect(rows.map((r) => r.token_hash)).toEqual([sha256(secret)])
      const list = await b.request('GET', '/api/tokens')
      expect(list.json.tokens).toHaveLength(1)
      expect(JSON.stringify(list.json)).not.toContain(secret)

      const bearer = { authorization: `Bearer ${secret}` }
      // A token cannot mint tokens, change the password or sign its owner out everywhere.
      for (const [method, url] of [
        ['POST', '/api/tokens'],
        ['POST', '/api/me/password'],
        ['POST', '/api/auth/logout-all'],
      ] as const) {
        expect((await call(ctx().anon, method, url, { name: 'x' }, bearer)).status).toBe(403)
      }
      // The token acts as a trusted contributor: it writes directly and may undo its own
      // deletion, but not someone else's.
      const created = await call(ctx().anon, 'POST', '/api/assets', assetBody(), bearer)
      expect(created.status).toBe(201)
      await call(ctx().anon, 'DELETE', `/api/assets/${created.json.id}`, undefined, bearer)
      const undo = await call(
        ctx().anon,
        'POST',
        `/api/assets/${created.json.id}/restore`,
        undefined,
        bearer,
      )
      expect(undo.status, undo.text).toBe(200)
      const other = await call(ctx().app, 'POST', '/api/assets', assetBody({ name: 'Ander' }))
      await call(ctx().app, 'DELETE', `/api/assets/${other.json.id}`)
      const notMine = await call(
        ctx().anon,
        'POST',
        `/api/assets/${other.json.id}/restore`,
        undefined,
        bearer,
      )
      expect(notMine.status).toBe(403)

      expect((await b.request('DELETE', `/api/tokens/${made.json.token.id}`)).status).toBe(204)
      const revoked = await call(ctx().anon, 'GET', '/api/assets', undefined, bearer)
      expect(revoked.status).toBe(401)
      expect(revoked.headers.get('www-authenticate')).toMatch(/Bearer/)
    })

    it('lets API tokens expire: at most the configured lifetime, shorter on request; an expired one gets 401', async () => {
      await makeUser(ctx(), 'trusted')
      const clock = manualClock()
      const app = appWith(clock, { tokenMaxDays: 30 })
      const b = new Browser(app)
      await b.login('trusted@example.nl', PASSWORD)
      const tooLong = await b.request('POST', '/api/tokens', { name: 'x', expires_in_days: 31 })
      expect(tooLong.status).toBe(422)
      expect(tooLong.json.errors[0].pointer).toBe('/expires_in_days')
      const full = await b.request('POST', '/api/tokens', { name: 'import' })
      expect(full.json.token.expires_at).toBe(
        new Date(clock.now().getTime() + 30 * DAY).toISOString(),
      )
      const week = await b.request('POST', '/api/tokens', { name: 'proef', expires_in_days: 7 })
      expect(week.status).toBe(201)
      const me = (secret: string, on = app) =>
        call(on, 'GET', '/api/auth/me', undefined, { authorization: `Bearer ${secret}` })
      expect((await me(week.json.secret)).status).toBe(200)
      clock.advance(7 * DAY)
      const expired = await me(week.json.secret)
      expect(expired.status).toBe(401)
      expect(expired.headers.get('content-type')).toMatch(/problem\+json/)
      expect(expired.json.detail).toMatch(/verlopen/)
      expect((await me(full.json.secret)).status).toBe(200)
      // A lower maximum holds for tokens made before it, too.
      expect((await me(full.json.secret, appWith(clock, { tokenMaxDays: 5 }))).status).toBe(401)
      clock.advance(23 * DAY)
      expect((await me(full.json.secret)).status).toBe(401)
    })

    it('revokes my API tokens on request when I sign out everywhere or change my password', async () => {
      await makeUser(ctx(), 'contributor')
      const b = new Browser(ctx().anon)
      const signIn = () => b.login('contributor@example.nl', PASSWORD)
      const token = async () =>
        (await b.request('POST', '/api/tokens', { name: 'script' })).json.secret as string
      const works = async (secret: string) =>
        (
          await call(ctx().anon, 'GET', '/api/auth/me', undefined, {
            authorization: `Bearer ${secret}`,
          })
        ).status === 200
      await signIn()
      const kept = await token()
      expect((await b.request('POST', '/api/auth/logout-all')).status).toBe(204)
      expect(await works(kept)).toBe(true)
      await signIn()
      const body = { revoke_tokens: true }
      expect((await b.request('POST', '/api/auth/logout-all', body)).status).toBe(204)
      expect(await works(kept)).toBe(false)
      await signIn()
      const second = await token()
      const changed = await b.request('POST', '/api/me/password', {
        current_password: PASSWORD,
        new_password: 'nieuw-wachtwoord-12',
        ...body,
      })
      expect(changed.status, changed.text).toBe(204)
      expect(await works(second)).toBe(false)
      const audit = await ctx().handle.db.selectFrom('audit_log').select('action').execute()
      expect(audit.filter((e) => e.action === 'token.revoke_all')).toHaveLength(2)
    })

    it('keeps answers to signed-in requests out of shared caches (private, no-store; Vary)', async () => {
      await makeUser(ctx(), 'moderator')
      const b = new Browser(ctx().anon)
      await b.login('moderator@example.nl', PASSWORD)
      const bearer = { authorization: `Bearer ${await ctx().token('moderator')}` }
      const place = await call(ctx().app, 'POST', '/api/assets', assetBody())
      const personal = [
        '/api/auth/me',
        `/api/assets/${place.json.id}/history`,
        '/api/changes',
        '/api/export.geojson',
        '/api/export.csv',
        '/api/proposals',
      ]
      for (const url of personal) {
        for (const res of [
          await b.request('GET', url),
          await call(ctx().anon, 'GET', url, undefined, bearer),
        ]) {
          expect(res.status, url).toBe(200)
          expect(res.headers.get('cache-control'), url).toBe('private, no-store')
          expect(res.headers.get('vary'), url).toMatch(
            /Cookie.*Authorization|Authorization.*Cookie/,
          )
        }
      }
      // A visitor's answer says it differs by who asks; answers that choose their own caching keep it.
      const visitor = await call(ctx().anon, 'GET', '/api/auth/me')
      expect(visitor.headers.get('cache-control')).toBeNull()
      expect(visitor.headers.get('vary')).toMatch(/Cookie/)
      expect((await b.request('GET', '/api/kinds')).headers.get('cache-control')).toBe(
        'public, max-age=3600',
      )
      const tileJson = await b.request('GET', '/tiles/assets.json')
      expect(tileJson.headers.get('cache-control')).toBe('public, no-cache')
    })

    it('never writes passwords, tokens or session ids to the log', async () => {
      const lines: string[] = []
      const log: Logger = {
        info: (m) => lines.push(m),
        error: (m, e) => lines.push(m, String(e), (e as Error | undefined)?.stack ?? ''),
      }
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: ctx().clock,
        config: TEST_CONFIG,
        log,
      })
      await makeUser(ctx(), 'admin')
      const b = new Browser(app)
      await b.login('admin@example.nl', 'fout-wachtwoord-9')
      await b.login('admin@example.nl', PASSWORD)
      const token = (await b.request('POST', '/api/tokens', { name: 'script' })).json.secret
      await call(app, 'GET', '/api/users', undefined, { authorization: `Bearer ${token}` })
      await call(app, 'GET', '/api/users', undefined, { authorization: 'Bearer bk_wrong-token' })
      await b.request('POST', '/api/me/password', {
        current_password: PASSWORD,
        new_password: 'nog-een-wachtwoord-77',
      })
      expect(lines.length).toBeGreaterThan(5) // the access log did write
      const all = lines.join('\n')
      for (const secret of [
        PASSWORD,
        'fout-wachtwoord-9',
        'nog-een-wachtwoord-77',
        token,
        b.cookie ?? '-',
        'bk_wrong-token',
      ]) {
        expect(all).not.toContain(secret)
      }
    })

    it('changes a password, which ends every session', async () => {
      await makeUser(ctx(), 'contributor')
      const b = new Browser(ctx().anon)
      await b.login('contributor@example.nl', PASSWORD)
      const wrong = await b.request('POST', '/api/me/password', {
        current_password: 'niet-goed-1234',
        new_password: 'nieuw-wachtwoord-12',
      })
      expect(wrong.status).toBe(422)
      expect(wrong.json.errors[0].pointer).toBe('/current_password')
      const short = await b.request('POST', '/api/me/password', {
        current_password: PASSWORD,
        new_password: 'kort',
      })
      expect(short.status).toBe(422)
      expect(short.json.errors[0].pointer).toBe('/new_password')
      const ok = await b.request('POST', '/api/me/password', {
        current_password: PASSWORD,
        new_password: 'nieuw-wachtwoord-12',
      })
      expect(ok.status).toBe(204)
      expect((await b.request('GET', '/api/auth/me')).json.user).toBeNull()
      expect((await new Browser(ctx().anon).login('contributor@example.nl', PASSWORD)).status).toBe(
        401,
      )
      expect(
        (await new Browser(ctx().anon).login('contributor@example.nl', 'nieuw-wachtwoord-12'))
          .status,
      ).toBe(200)
    })

    it('sends security headers: a CSP without inline scripts, no framing, a referrer policy', async () => {
      const res = await call(ctx().anon, 'GET', '/api/health')
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toMatch(/script-src 'self'(;|$)/)
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
      expect(csp).toMatch(/frame-ancestors 'none'/)
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    })

    it('limits the rate of writes per account', async () => {
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: ctx().clock,
        config: { ...TEST_CONFIG, writesPerMinute: 3 },
      })
      await makeUser(ctx(), 'trusted')
      const b = new Browser(app)
      await b.login('trusted@example.nl', PASSWORD) // counted against the address, not the account
      const statuses = []
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await b.request('POST', '/api/assets', assetBody({ name: `Bank ${i}` }))).status,
        )
      }
      expect(statuses).toEqual([201, 201, 201, 429])
      const count = await sql<{ n: number }>`select count(*)::int as n from assets`.execute(
        ctx().handle.db,
      )
      expect(count.rows[0]!.n).toBe(3)
    })
  },
  { reset: 'all' },
)
