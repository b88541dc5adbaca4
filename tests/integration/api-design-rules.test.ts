import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { call, describeBackends, SHARED_DATA } from '../helpers/backends.js'

/**
 * The NLGov REST API Design Rules, checked as Logius checks them: its Spectral ruleset (in
 * ../shared/standards, never copied here) run by @stoplight/spectral-cli on the published
 * document; and the rules a document cannot show, checked on real answers.
 */

const run = promisify(execFile)
const RULESET = path.resolve(SHARED_DATA, '..', 'standards', 'nlgov-adr', 'linter.yaml')
const SPECTRAL = path.resolve(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'spectral')

interface Finding {
  code: string
  message: string
  path: string[]
  severity: number
}

describeBackends('NLGov API Design Rules', (ctx) => {
  it('the published OpenAPI document passes the Logius ADR linter with 0 errors', async () => {
    expect(fs.existsSync(RULESET), `the ruleset is missing: ${RULESET}`).toBe(true)
    const res = await call(ctx().anon, 'GET', '/api/v1/openapi.json')
    expect(res.status).toBe(200)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-adr-'))
    const file = path.join(dir, 'openapi.json')
    fs.writeFileSync(file, res.text)
    const report = path.join(dir, 'findings.json')
    try {
      await run(SPECTRAL, ['lint', '-r', RULESET, '-f', 'json', '-o', report, file])
    } catch (e) {
      // Spectral exits with 1 when it finds errors; its findings are in the report all the same.
      if (!fs.existsSync(report)) throw e
    }
    const findings = JSON.parse(fs.readFileSync(report, 'utf8')) as Finding[]
    fs.rmSync(dir, { recursive: true, force: true })
    const errors = findings
      .filter((f) => f.severity === 0)
      .map((f) => `${f.code} at ${f.path.join('.')}: ${f.message}`)
    expect(errors).toEqual([])
  })

  it('publishes the document at the API’s base and the old path, readable from any origin', async () => {
    const v1 = await call(ctx().anon, 'GET', '/api/v1/openapi.json')
    const old = await call(ctx().anon, 'GET', '/api/openapi.json')
    for (const res of [v1, old]) {
      expect(res.status).toBe(200)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
    }
    expect(old.json).toEqual(v1.json)
    expect(v1.json.servers).toEqual([{ url: '/api/v1', description: 'Version 1 of the API' }])
    expect(v1.json.info.contact).toMatchObject({
      name: expect.any(String),
      email: expect.any(String),
      url: expect.any(String),
    })
  })

  it('sends the full API version on every answer: data, problems, tiles and pages', async () => {
    for (const url of [
      '/api/v1/health',
      '/api/v1/assets',
      '/api/v1/assets/00000000-0000-4000-8000-000000000000',
      '/api/v1/nothing-here',
      '/api/v1/tiles/assets.json',
      '/api/v1/assets?limit=nonsense',
      '/',
    ]) {
      const res = await call(ctx().anon, 'GET', url)
      expect(res.headers.get('api-version'), url).toBe('1.0.0')
      if (res.status >= 400) {
        expect(res.headers.get('content-type'), url).toMatch(/^application\/problem\+json/)
      }
    }
  })

  it('answers the unversioned paths as deprecated aliases that name their successor', async () => {
    const res = await call(ctx().anon, 'GET', '/api/assets?limit=1')
    expect(res.status).toBe(200)
    expect(res.headers.get('deprecation')).toMatch(/^@\d+$/)
    expect(res.headers.get('link')).toBe('</api/v1/assets>; rel="successor-version"')
    const exported = await call(ctx().anon, 'GET', '/api/export.csv')
    expect(exported.headers.get('link')).toBe(
      '</api/v1/exports/assets.csv>; rel="successor-version"',
    )
    expect((await call(ctx().anon, 'GET', '/api/v1/exports/assets.csv')).status).toBe(200)
    // The successor is the path as sent, percent-encoded (a header holds no control characters).
    const odd = await call(ctx().anon, 'GET', '/api/areas/GM%20%0A')
    expect(odd.headers.get('link')).toBe('</api/v1/areas/GM%20%0A>; rel="successor-version"')
    const current = await call(ctx().anon, 'GET', '/api/v1/assets?limit=1')
    expect(current.headers.get('deprecation')).toBeNull()
  })

  it('answers a trailing slash with 404, not a redirect', async () => {
    for (const url of ['/api/v1/assets/', '/api/v1/areas/', '/api/v1/kinds/']) {
      const res = await call(ctx().anon, 'GET', url)
      expect(res.status, url).toBe(404)
      expect(res.headers.get('location'), url).toBeNull()
    }
  })
})
