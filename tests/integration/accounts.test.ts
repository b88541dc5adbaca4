import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { createApp, type Logger } from '../../api/http/app.js'
import { sha256, THROTTLE } from '../../api/services/auth.js'
import { assetBody, call, describeBackends, TEST_CONFIG } from '../helpers/backends.js'
import { Browser, makeUser, PASSWORD } from '../helpers/session.js'

describeBackends(
  'accounts and sessions',
  (ctx) => {
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

    it('throttles failed logins per account, also for an unknown account, with Retry-After', async () => {
      await makeUser(ctx(), 'contributor')
      for (const email of ['contributor@example.nl', 'unknown@example.nl']) {
        for (let i = 0; i < THROTTLE.perAccount; i++) {
          expect((await new Browser(ctx().anon).login(email, 'fout-wachtwoord-1')).status).toBe(401)
        }
        const blocked = await new Browser(ctx().anon).login(email, PASSWORD)
        expect(blocked.status).toBe(429)
        expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
        expect(blocked.json.code).toBe('too_many_requests')
      }
      const stored = await ctx().handle.db.selectFrom('login_failures').select('key_hash').execute()
      expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true)
    })

    it('throttles failed logins per address behind a trusted proxy', async () => {
      await makeUser(ctx(), 'contributor')
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: ctx().clock,
        config: { ...TEST_CONFIG, trustProxy: true },
      })
      const from = (address: string) => new Browser(app, { 'x-forwarded-for': address })
      for (let i = 0; i < THROTTLE.perAddress; i++) {
        // Different accounts each time, and a made-up first hop: only the proxy's hop links them.
        const forged = `10.0.${i}.1, 203.0.113.7`
        expect((await from(forged).login(`guess${i}@example.nl`, 'x')).status).toBe(401)
      }
      expect((await from('203.0.113.7').login('contributor@example.nl', PASSWORD)).status).toBe(429)
      expect((await from('198.51.100.1').login('contributor@example.nl', PASSWORD)).status).toBe(
        200,
      )
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
