import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { createApp } from '../../api/http/app.js'
import { ANONYMOUS_PER_HOUR } from '../../api/services/proposals.js'
import { ANONYMISED_NAME } from '../../api/services/users.js'
import {
  assetBody,
  call,
  describeBackends,
  TEST_CONFIG,
  withToken,
  type TestContext,
} from '../helpers/backends.js'
import { Browser, makeUser, PASSWORD } from '../helpers/session.js'

async function signIn(
  ctx: TestContext,
  role: 'contributor' | 'trusted' | 'moderator' | 'admin',
  name: string,
) {
  await makeUser(ctx, role, name, `${name.toLowerCase()}@example.nl`)
  const b = new Browser(ctx.anon)
  expect((await b.login(`${name.toLowerCase()}@example.nl`, PASSWORD)).status).toBe(200)
  return b
}

const contact = {
  contact_name: 'Henk de Vries',
  contact_email: 'henk@example.nl',
  contact_phone: '+31 6 12345678',
}

describeBackends(
  'moderation, history and privacy',
  (ctx) => {
    it("queues a contributor's new place; a moderator approves it; the proposer sees the outcome", async () => {
      const fatima = await signIn(ctx(), 'contributor', 'Fatima')
      const mod = await signIn(ctx(), 'moderator', 'Mo')
      const sent = await fatima.request(
        'POST',
        '/api/assets',
        assetBody({ name: 'Huiskamer Zuid' }),
      )
      expect(sent.status, sent.text).toBe(202)
      expect(sent.json.proposal).toMatchObject({
        action: 'create',
        status: 'pending',
        proposer: { name: 'Fatima' },
      })
      expect((await call(ctx().anon, 'GET', '/api/assets')).json.features).toHaveLength(0)

      const queue = await mod.request('GET', '/api/proposals?status=pending')
      expect(queue.json.proposals).toHaveLength(1)
      const p = queue.json.proposals[0]
      expect(p.before).toBeNull()
      expect(p.after.properties.name).toBe('Huiskamer Zuid')
      expect(p.after.geometry.coordinates).toEqual([5.4714, 52.5185])

      // Contributors may not decide, not even on their own proposal.
      expect((await fatima.request('POST', `/api/proposals/${p.id}/approve`, {})).status).toBe(403)
      const approved = await mod.request('POST', `/api/proposals/${p.id}/approve`, {
        reason: 'Klopt, ik ken het',
      })
      expect(approved.status, approved.text).toBe(200)
      expect(approved.json.asset.properties).toMatchObject({ name: 'Huiskamer Zuid', version: 1 })
      expect((await mod.request('POST', `/api/proposals/${p.id}/approve`, {})).status).toBe(409)

      const mine = await fatima.request('GET', '/api/proposals')
      expect(mine.json.proposals[0]).toMatchObject({
        status: 'approved',
        reason: 'Klopt, ik ken het',
        decided_by: { name: 'Mo' },
        result_version: 1,
      })
      // The history credits the proposer and names the proposal.
      const history = await mod.request('GET', `/api/assets/${approved.json.asset.id}/history`)
      expect(history.json.entries[0]).toMatchObject({
        action: 'create',
        actor_name: 'Fatima',
        proposal_id: p.id,
      })
    })

    it('rejects with a required reason, and keeps the rejected proposal', async () => {
      const trusted = await signIn(ctx(), 'trusted', 'Tess')
      const fatima = await signIn(ctx(), 'contributor', 'Fatima')
      const mod = await signIn(ctx(), 'moderator', 'Mo')
      const place = (await trusted.request('POST', '/api/assets', assetBody())).json
      const change = await fatima.request(
        'PATCH',
        `/api/assets/${place.id}`,
        { properties: { name: 'Gesloten!!' } },
        { 'if-match': '"v1"' },
      )
      expect(change.status).toBe(202)
      const id = change.json.proposal.id
      expect(change.json.proposal.after.properties.name).toBe('Gesloten!!')
      const noReason = await mod.request('POST', `/api/proposals/${id}/reject`, {})
      expect(noReason.status).toBe(422)
      expect(noReason.json.errors[0].pointer).toBe('/reason')
      const rejected = await mod.request('POST', `/api/proposals/${id}/reject`, {
        reason: 'Het buurthuis is gewoon open.',
      })
      expect(rejected.status).toBe(200)
      expect((await fatima.request('GET', `/api/proposals/${id}`)).json).toMatchObject({
        status: 'rejected',
        reason: 'Het buurthuis is gewoon open.',
      })
      expect(
        (await call(ctx().app, 'GET', `/api/assets/${place.id}`)).json.properties,
      ).toMatchObject({
        name: 'Buurthuis De Kern',
        version: 1,
      })
      // Another contributor does not see Fatima's proposal.
      const other = await signIn(ctx(), 'contributor', 'Kees')
      expect((await other.request('GET', `/api/proposals/${id}`)).status).toBe(404)
      expect((await other.request('GET', '/api/proposals')).json.proposals).toHaveLength(0)
    })

    it('applies an approved change over a later edit of other fields, and refuses a clash (409)', async () => {
      const trusted = await signIn(ctx(), 'trusted', 'Tess')
      const fatima = await signIn(ctx(), 'contributor', 'Fatima')
      const mod = await signIn(ctx(), 'moderator', 'Mo')
      const place = (await trusted.request('POST', '/api/assets', assetBody())).json
      const nameChange = (
        await fatima.request(
          'PATCH',
          `/api/assets/${place.id}`,
          { properties: { name: 'De Kern' } },
          { 'if-match': '"v1"' },
        )
      ).json.proposal
      const hoursChange = (
        await fatima.request(
          'PATCH',
          `/api/assets/${place.id}`,
          { properties: { opening_hours: 'Mo-Fr 09:00-17:00' } },
          { 'if-match': '"v1"' },
        )
      ).json.proposal
      // Meanwhile a trusted contributor changes the opening hours directly.
      await trusted.request(
        'PATCH',
        `/api/assets/${place.id}`,
        { properties: { opening_hours: 'Mo-Sa 10:00-16:00' } },
        { 'if-match': '"v1"' },
      )
      const ok = await mod.request('POST', `/api/proposals/${nameChange.id}/approve`, {})
      expect(ok.status, ok.text).toBe(200)
      expect(ok.json.asset.properties).toMatchObject({
        name: 'De Kern',
        opening_hours: 'Mo-Sa 10:00-16:00',
        version: 3,
      })
      const clash = await mod.request('POST', `/api/proposals/${hoursChange.id}/approve`, {})
      expect(clash.status).toBe(409)
      expect(clash.json.fields).toEqual(['opening_hours'])
      expect((await mod.request('GET', `/api/proposals/${hoursChange.id}`)).json.status).toBe(
        'pending',
      )
    })

    it('takes anonymous suggestions only when switched on, rate-limited, with a honeypot', async () => {
      const admin = await signIn(ctx(), 'admin', 'Ada')
      const visitor = new Browser(ctx().anon)
      const suggestion = {
        action: 'create',
        feature: assetBody({ name: 'Bankje bij de vijver', kind: 'bench' }),
        website: '',
      }
      const off = await visitor.request('POST', '/api/proposals', suggestion)
      expect(off.status).toBe(403)
      expect((await visitor.request('POST', '/api/assets', assetBody())).status).toBe(401)

      expect(
        (await admin.request('PATCH', '/api/settings', { anonymous_suggestions: true })).status,
      ).toBe(200)
      const bot = await visitor.request('POST', '/api/proposals', {
        ...suggestion,
        website: 'http://spam.example',
      })
      expect(bot.status).toBe(202)
      const bad = await visitor.request('POST', '/api/proposals', {
        action: 'create',
        feature: assetBody({ kind: 'castle' }),
      })
      expect(bad.status).toBe(422)
      expect(bad.json.errors[0].pointer).toBe('/feature/properties/kind')
      for (let i = 0; i < ANONYMOUS_PER_HOUR; i++) {
        expect((await visitor.request('POST', '/api/proposals', suggestion)).status).toBe(202)
      }
      const limited = await visitor.request('POST', '/api/proposals', suggestion)
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('3600')
      const queue = await admin.request('GET', '/api/proposals?status=pending')
      expect(queue.json.proposals).toHaveLength(ANONYMOUS_PER_HOUR) // the bot's is not there
      // A private map takes no suggestions from visitors either.
      await admin.request('PATCH', '/api/settings', { public_map: false })
      expect(
        (await new Browser(ctx().anon).request('POST', '/api/proposals', suggestion)).status,
      ).toBe(401)
      expect(queue.json.proposals[0].proposer).toEqual({ id: null, name: null })
    })

    it('stamps "verified by <role> on <date>" and flags places not checked for too long', async () => {
      const trusted = await signIn(ctx(), 'trusted', 'Tess')
      const admin = await signIn(ctx(), 'admin', 'Ada')
      // Only /verify sets verified_at: a place added in January 2024 and never checked since.
      const then = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: { now: () => new Date('2024-01-15T10:00:00Z') },
        config: TEST_CONFIG,
      })
      const old = (
        await call(
          withToken(then, () => ctx().token('trusted')),
          'POST',
          '/api/assets',
          assetBody(),
        )
      ).json
      const now = await call(ctx().anon, 'GET', `/api/assets/${old.id}`)
      expect(now.json.properties.possibly_outdated).toBe(true)
      const fresh = (await trusted.request('POST', '/api/assets', assetBody({ name: 'Nieuw' })))
        .json
      expect(fresh.properties.possibly_outdated).toBe(false)
      const contributor = await signIn(ctx(), 'contributor', 'Fatima')
      expect((await contributor.request('POST', `/api/assets/${old.id}/verify`)).status).toBe(403)
      const verified = await trusted.request('POST', `/api/assets/${old.id}/verify`)
      expect(verified.status).toBe(200)
      expect(verified.json.properties).toMatchObject({
        verified_by_role: 'trusted',
        possibly_outdated: false,
        version: 2,
      })
      expect(verified.json.properties.verified_at).toMatch(/^2026-11-21/)
      // The threshold is a setting; exports carry the flag too.
      await admin.request('PATCH', '/api/settings', { verification_max_age_days: 1 })
      const csv = await call(ctx().anon, 'GET', '/api/export.csv')
      const [header, ...rows] = csv.text.trim().split('\n')
      const col = header!.split(',').indexOf('possibly_outdated')
      expect(col).toBeGreaterThan(0)
      expect(rows.map((r) => r.split(',')[col])).toEqual(['false', 'false'])
      // Two days later (the clock moves forward), both need checking again.
      const later = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: { now: () => new Date('2026-11-24T12:00:00Z') },
        config: TEST_CONFIG,
      })
      const list = await call(later, 'GET', '/api/assets')
      expect(list.json.features.map((f: any) => f.properties.possibly_outdated)).toEqual([
        true,
        true,
      ])
    })

    it('reverts to any earlier version as a new version, and keeps everything in between', async () => {
      const trusted = await signIn(ctx(), 'trusted', 'Tess')
      const mod = await signIn(ctx(), 'moderator', 'Mo')
      const place = (await trusted.request('POST', '/api/assets', assetBody())).json
      await trusted.request(
        'PATCH',
        `/api/assets/${place.id}`,
        {
          properties: { name: 'V A N D A L' },
          geometry: { type: 'Point', coordinates: [5.6, 52.6] },
        },
        { 'if-match': '"v1"' },
      )
      await trusted.request('DELETE', `/api/assets/${place.id}`, undefined, { 'if-match': '"v2"' })
      expect(
        (await trusted.request('POST', `/api/assets/${place.id}/revert`, { version: 1 })).status,
      ).toBe(403)
      const huge = await mod.request('POST', `/api/assets/${place.id}/revert`, { version: 3e9 })
      expect(huge.status).toBe(422)
      const bad = await mod.request('POST', `/api/assets/${place.id}/revert`, { version: 9 })
      expect(bad.status).toBe(422)
      expect(bad.json.errors[0].pointer).toBe('/version')
      const reverted = await mod.request('POST', `/api/assets/${place.id}/revert`, { version: 1 })
      expect(reverted.status, reverted.text).toBe(200)
      expect(reverted.json.properties).toMatchObject({
        name: 'Buurthuis De Kern',
        version: 4,
        deleted_at: null,
      })
      expect(reverted.json.geometry.coordinates).toEqual([5.4714, 52.5185])
      const history = (await mod.request('GET', `/api/assets/${place.id}/history`)).json.entries
      expect(history.map((e: any) => [e.version, e.action])).toEqual([
        [1, 'create'],
        [2, 'update'],
        [3, 'delete'],
        [4, 'revert'],
      ])
      expect(history[3]).toMatchObject({ actor_name: 'Mo', note: 'reverted to version 1' })
      expect(history[3].before.properties.name).toBe('V A N D A L')
      // Reverting the revert is possible too: nothing is ever lost.
      const again = await mod.request('POST', `/api/assets/${place.id}/revert`, { version: 2 })
      expect(again.json.properties).toMatchObject({ name: 'V A N D A L', version: 5 })
      const changes = await mod.request('GET', '/api/changes?limit=3')
      expect(changes.json.entries.map((e: any) => e.version)).toEqual([5, 4, 3])
    })

    it('shows contact details only to signed-in users: not in public responses, exports or history', async () => {
      const trusted = await signIn(ctx(), 'trusted', 'Tess')
      const place = (await trusted.request('POST', '/api/assets', assetBody(contact))).json
      expect(place.properties).toMatchObject(contact)
      const publicReads = [
        (await call(ctx().anon, 'GET', `/api/assets/${place.id}`)).text,
        (await call(ctx().anon, 'GET', '/api/assets')).text,
        (await call(ctx().anon, 'GET', '/api/export.geojson')).text,
        (await call(ctx().anon, 'GET', '/api/export.csv')).text,
        (await call(ctx().anon, 'GET', `/api/assets/${place.id}/history`)).text,
      ]
      for (const text of publicReads) {
        expect(text).toContain('Buurthuis De Kern')
        for (const value of Object.values(contact)) expect(text).not.toContain(value)
        expect(text).not.toContain('contact_')
        expect(text).not.toContain('Tess') // nor who edited
        expect(text).not.toContain('user:')
      }
      const csv = (await trusted.request('GET', '/api/export.csv')).text
      expect(csv).toContain('henk@example.nl')
      expect(
        (await trusted.request('GET', `/api/assets/${place.id}`)).json.properties.contact_phone,
      ).toBe('+31 6 12345678')
      const badEmail = await trusted.request(
        'POST',
        '/api/assets',
        assetBody({ contact_email: 'henk at example' }),
      )
      expect(badEmail.status).toBe(422)
      expect(badEmail.json.errors[0].pointer).toBe('/properties/contact_email')
    })

    it("exports a user's own data, and anonymises a deleted user without losing their history", async () => {
      const fatima = await signIn(ctx(), 'trusted', 'Fatima')
      const admin = await signIn(ctx(), 'admin', 'Ada')
      const place = (await fatima.request('POST', '/api/assets', assetBody())).json
      await fatima.request('POST', '/api/tokens', { name: 'telefoon' })
      const mine = await fatima.request('GET', '/api/me/export')
      expect(mine.status).toBe(200)
      expect(mine.headers.get('content-disposition')).toMatch(/attachment/)
      expect(mine.json.account).toMatchObject({
        email: 'fatima@example.nl',
        display_name: 'Fatima',
      })
      expect(mine.json.changes.map((c: any) => [c.asset_id, c.action])).toEqual([
        [place.id, 'create'],
      ])
      expect(mine.json.api_tokens).toHaveLength(1)
      expect(JSON.stringify(mine.json)).not.toMatch(/scrypt|token_hash|id_hash/)

      const userId = mine.json.account.id
      expect((await admin.request('DELETE', `/api/users/${userId}`)).status).toBe(204)
      expect((await fatima.request('GET', '/api/auth/me')).json.user).toBeNull()
      expect((await new Browser(ctx().anon).login('fatima@example.nl', PASSWORD)).status).toBe(401)
      const row = await ctx()
        .handle.db.selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
      expect(row).toMatchObject({ email: null, password_hash: null, display_name: ANONYMISED_NAME })
      const history = (await admin.request('GET', `/api/assets/${place.id}/history`)).json.entries
      expect(history[0]).toMatchObject({ actor: `user:${userId}`, actor_name: ANONYMISED_NAME })
      const audit = (await admin.request('GET', '/api/audit')).json.entries
      expect(audit.map((e: any) => e.action)).toContain('user.anonymise')
    })

    it('keeps an append-only audit log of user administration, tokens and settings', async () => {
      const admin = await signIn(ctx(), 'admin', 'Ada')
      const made = await admin.request('POST', '/api/users', {
        email: 'nieuw@example.nl',
        display_name: 'Nieuw',
        role: 'contributor',
        password: 'welkom-welkom-1',
      })
      expect(made.status).toBe(201)
      const dup = await admin.request('POST', '/api/users', {
        email: 'NIEUW@example.nl',
        display_name: 'Dubbel',
        role: 'contributor',
      })
      expect(dup.status).toBe(409)
      await admin.request('PATCH', `/api/users/${made.json.id}`, { role: 'trusted' })
      await admin.request('PATCH', '/api/settings', { public_map: false })
      const entries = (await admin.request('GET', '/api/audit')).json.entries
      expect(entries.map((e: any) => e.action).slice(0, 3)).toEqual([
        'settings.update',
        'user.update',
        'user.create',
      ])
      expect(entries[1]).toMatchObject({
        before: { role: 'contributor' },
        after: { role: 'trusted' },
        actor_name: 'Ada',
      })
      await expect(sql`update audit_log set actor = 'x'`.execute(ctx().handle.db)).rejects.toThrow(
        /append-only/,
      )
      await expect(sql`delete from audit_log`.execute(ctx().handle.db)).rejects.toThrow(
        /append-only/,
      )
      // With the map private, visitors see nothing but may still sign in.
      expect((await call(ctx().anon, 'GET', '/api/assets')).status).toBe(401)
      expect((await call(ctx().anon, 'GET', '/api/auth/me')).status).toBe(200)
    })

    it('refuses to empty the history or the audit log with TRUNCATE, also through CASCADE', async () => {
      await call(ctx().app, 'POST', '/api/assets', assetBody())
      const counts = async () =>
        (
          await sql<{ history: number; audit: number }>`select
            (select count(*)::int from asset_history) as history,
            (select count(*)::int from audit_log) as audit`.execute(ctx().handle.db)
        ).rows[0]
      const before = await counts()
      expect(before!.history).toBe(1)
      expect(before!.audit).toBeGreaterThan(0)
      for (const statement of [
        sql`truncate asset_history`,
        sql`truncate audit_log`,
        sql`truncate assets cascade`,
      ]) {
        await expect(statement.execute(ctx().handle.db)).rejects.toThrow(/append-only/)
      }
      expect(await counts()).toEqual(before)
    })

    it('stores script and SQL-like text in every text field verbatim, and returns it as data', async () => {
      const trusted = await signIn(ctx(), 'trusted', 'Tess')
      const payloads = [
        "<script>alert('x')</script>",
        "'); DROP TABLE assets; --",
        '"><img src=x onerror=alert(1)>',
      ]
      for (const p of payloads) {
        const body = assetBody({
          name: p,
          address: p,
          description: p,
          organisation: p,
          contact_name: p,
          activities: [p],
          source_ref: null,
        })
        const res = await trusted.request('POST', '/api/assets', body)
        expect(res.status, res.text).toBe(201)
        expect(res.headers.get('content-type')).toMatch(/json/)
        const back = (await trusted.request('GET', `/api/assets/${res.json.id}`)).json.properties
        for (const f of ['name', 'address', 'description', 'organisation', 'contact_name'])
          expect(back[f]).toBe(p)
        expect(back.activities).toEqual([p])
        const search = await trusted.request('GET', `/api/assets?q=${encodeURIComponent(p)}`)
        expect(search.status).toBe(200)
      }
      const count = await sql<{ n: number }>`select count(*)::int as n from assets`.execute(
        ctx().handle.db,
      )
      expect(count.rows[0]!.n).toBe(3)
      const big = await trusted.request(
        'POST',
        '/api/assets',
        assetBody({ description: 'x'.repeat(300_000) }),
      )
      expect(big.status).toBe(413)
    })
  },
  { reset: 'all' },
)
