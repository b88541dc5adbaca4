import { expect, it } from 'vitest'
import { ACCESS, type Rule } from '../../api/http/access.js'
import { atLeast, ROLES, type Role } from '../../api/domain/roles.js'
import type { App } from '../../api/http/app.js'
import { createApp } from '../../api/http/app.js'
import { describeBackends, TEST_CONFIG, withToken } from '../helpers/backends.js'

type Who = 'anonymous' | Role
const EVERYONE: Who[] = ['anonymous', ...ROLES]

/** The app's own route table: every method and path it answers, middleware left out. */
function routesOf(app: App): string[] {
  const keys = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)
  return [...new Set(keys)].sort()
}

/** The matrix calls as visitors and with API tokens of each role (sessions: accounts.test.ts). */
function allowed(rule: Rule, who: Who, publicMap: boolean): boolean {
  if (rule === 'public') return true
  if (who === 'anonymous') return rule === 'read' && publicMap
  if (rule === 'session') return false
  if (rule === 'read' || rule === 'signed-in') return true
  return atLeast(who, rule)
}

/** What the route answers for someone who may not call it. */
const refusal = (who: Who) => (who === 'anonymous' ? 401 : 403)

describeBackends(
  'authorisation matrix',
  (ctx) => {
    const apps = async () => {
      const out = new Map<Who, App>([['anonymous', ctx().anon]])
      for (const role of ROLES) out.set(role, await ctx().as(role))
      return out
    }

    async function send(app: App, key: string) {
      const [method, path] = key.split(' ') as [string, string]
      // Parameters get a well-formed id of nothing: the rule is checked before the lookup.
      const url = path
        .replace(':id', '00000000-0000-4000-8000-000000000000')
        .replace(':code', 'GM0000')
        .replace(':file', 'GM0000')
        .replace(':layer/:z/:x/:y', 'assets/14/8410/5385.mvt')
        .replace(':tileset', 'assets.json')
      const res = await app.request(url, {
        method,
        ...(method === 'GET' || method === 'DELETE'
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      })
      await res.arrayBuffer()
      return res.status
    }

    it('has an access rule for every route the app answers', () => {
      const missing = routesOf(ctx().anon).filter((key) => !(key in ACCESS))
      expect(missing).toEqual([])
      // … and no rule for a route that no longer exists (except the web app's page).
      const stale = Object.keys(ACCESS).filter(
        (key) => key !== 'GET /' && !routesOf(ctx().anon).includes(key),
      )
      expect(stale).toEqual([])
    })

    for (const publicMap of [true, false]) {
      it(`gives every route × role the expected answer (public map: ${publicMap})`, async () => {
        const admin = (await apps()).get('admin')!
        const set = await admin.request('/api/settings', {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ public_map: publicMap, anonymous_suggestions: true }),
        })
        expect(set.status).toBe(200)
        const byWho = await apps()
        const failures: string[] = []
        let checked = 0
        for (const key of routesOf(ctx().anon)) {
          const rule = ACCESS[key] as Rule
          for (const who of EVERYONE) {
            const status = await send(byWho.get(who)!, key)
            checked++
            const ok = allowed(rule, who, publicMap)
            const good = ok
              ? status !== 401 && status !== 403 && status < 500
              : status === refusal(who)
            if (!good) failures.push(`${key} as ${who} (rule ${rule}): ${status}`)
          }
        }
        expect(failures).toEqual([])
        expect(checked).toBeGreaterThan(200)
      })
    }

    it('refuses a route that has no rule (fails closed)', async () => {
      const app = createApp({
        db: ctx().handle.db,
        backend: ctx().backend,
        clock: ctx().clock,
        config: TEST_CONFIG,
      })
      app.get('/api/rule-less', (c) => c.text('should not be reachable'))
      const res = await withToken(app, () => ctx().token('admin')).request('/api/rule-less')
      expect(res.status).toBe(403)
    })
  },
  { reset: 'all' },
)
