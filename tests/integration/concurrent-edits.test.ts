import { expect, it } from 'vitest'
import { listHistory } from '../../api/repositories/history.js'
import { assetBody, call, describeBackends, type TestContext } from '../helpers/backends.js'

const PARALLEL = 10

/** The versions in a place's history, in order: 1..n without gaps when nothing was lost. */
async function historyVersions(ctx: TestContext, id: string) {
  return (await listHistory(ctx.handle.db, id)).map((e) => e.version)
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

// PGlite has one session, so it runs these one after another; PostgreSQL runs them at once.
describeBackends('parallel changes that send no version', (ctx) => {
  it(`${PARALLEL} parallel verifies of one place all succeed, one version each`, async () => {
    const place = (await call(ctx().app, 'POST', '/api/assets', assetBody())).json
    const answers = await Promise.all(
      oneTo(PARALLEL).map(() => call(ctx().app, 'POST', `/api/assets/${place.id}/verify`)),
    )
    expect(answers.map((a) => a.status)).toEqual(oneTo(PARALLEL).map(() => 200))
    const versions = answers.map((a) => a.json.properties.version as number)
    expect(versions.sort((a, b) => a - b)).toEqual(oneTo(PARALLEL).map((i) => i + 1))
    expect(await historyVersions(ctx(), place.id)).toEqual(oneTo(PARALLEL + 1))
  })

  it(`${PARALLEL} parallel PATCHes with If-Match: * all succeed, none lost`, async () => {
    const place = (await call(ctx().app, 'POST', '/api/assets', assetBody())).json
    const answers = await Promise.all(
      oneTo(PARALLEL).map((i) =>
        call(
          ctx().app,
          'PATCH',
          `/api/assets/${place.id}`,
          { properties: { activities: [`activiteit ${i}`] } },
          { 'if-match': '*' },
        ),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual(oneTo(PARALLEL).map(() => 200))
    expect(await historyVersions(ctx(), place.id)).toEqual(oneTo(PARALLEL + 1))
    // The last change written is what the place holds.
    const last = answers.find((a) => a.json.properties.version === PARALLEL + 1)
    const now = await call(ctx().app, 'GET', `/api/assets/${place.id}`)
    expect(now.json.properties.activities).toEqual(last?.json.properties.activities)
  })

  it(`${PARALLEL} parallel DELETEs without If-Match: one deletes (204), the others hear 410`, async () => {
    const place = (await call(ctx().app, 'POST', '/api/assets', assetBody())).json
    const answers = await Promise.all(
      oneTo(PARALLEL).map(() => call(ctx().app, 'DELETE', `/api/assets/${place.id}`)),
    )
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses).toEqual([204, ...oneTo(PARALLEL - 1).map(() => 410)])
    expect(await historyVersions(ctx(), place.id)).toEqual([1, 2])
    expect((await call(ctx().app, 'GET', `/api/assets/${place.id}`)).status).toBe(410)
  })
})
