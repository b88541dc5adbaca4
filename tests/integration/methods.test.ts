import { expect, it } from 'vitest'
import { assetBody, call, describeBackends } from '../helpers/backends.js'

describeBackends('methods a path does not support', (ctx) => {
  it.each([
    ['PUT', '/api/assets/{id}', 'DELETE, GET, HEAD, PATCH'],
    ['POST', '/api/assets/{id}', 'DELETE, GET, HEAD, PATCH'],
    ['PUT', '/api/assets', 'GET, HEAD, POST'],
    ['OPTIONS', '/api/assets', 'GET, HEAD, POST'],
    ['DELETE', '/api/areas/GM0995', 'GET, HEAD'],
    ['POST', '/tiles/assets/14/8440/5386.mvt', 'GET, HEAD'],
    ['PUT', '/tiles/assets.json', 'GET, HEAD'],
    ['GET', '/api/auth/login', 'POST'],
    ['HEAD', '/api/auth/login', 'POST'],
    ['PATCH', '/api/assets/{id}/verify', 'POST'],
  ])('%s %s: 405 with Allow: %s', async (method, path, allow) => {
    const id = (await call(ctx().app, 'POST', '/api/assets', assetBody())).json.id as string
    const res = await call(ctx().app, method, path.replace('{id}', id))
    expect(res.status, res.text).toBe(405)
    expect(res.headers.get('allow')).toBe(allow)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    if (method !== 'HEAD') {
      expect(res.json).toMatchObject({ status: 405, code: 'method_not_allowed' })
      expect(res.json.messages.detail.en).toContain(allow)
    }
    // Nothing changed: the place is still at version 1.
    const asset = await call(ctx().app, 'GET', `/api/assets/${id}`)
    expect(asset.json.properties.version).toBe(1)
  })

  it('a path without routes is still 404, and so is a missing place', async () => {
    for (const [method, path] of [
      ['PUT', '/api/nothing-here'],
      ['GET', '/api/assets/00000000-0000-4000-8000-000000000000'],
      ['GET', '/tiles/nothing.pmtiles'],
    ] as const) {
      const res = await call(ctx().app, method, path)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.headers.get('allow')).toBeNull()
    }
  })
})
