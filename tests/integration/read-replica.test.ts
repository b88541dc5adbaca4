import { VectorTile } from '@mapbox/vector-tile'
import { sql } from 'kysely'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../api/db/create-db.js'
import { awaitReplicaSchema } from '../../api/db/replica.js'
import type { AssetCreateInput } from '../../api/domain/asset.js'
import { tileRange } from '../../api/domain/tiles.js'
import { createApp, type App } from '../../api/http/app.js'
import { dataVersion } from '../../api/repositories/population.js'
import { createAssetService } from '../../api/services/assets.js'
import type { Clock } from '../../api/domain/clock.js'
import {
  assetBody,
  backends,
  call,
  openTestDatabase,
  steppingClock,
  TEST_CONFIG,
  testAccounts,
  withToken,
} from '../helpers/backends.js'
import { Browser, makeUser, PASSWORD } from '../helpers/session.js'

/**
 * The read-replica setting (AppDeps.readDb, BUURTKAART_READ_DATABASE_URL): two databases that
 * hold different rows, so every answer shows which one it came from. The "replica" refuses
 * writes like a hot standby (default_transaction_read_only), so a write routed to it would fail.
 */

const ALMERE: [number, number] = [5.2166, 52.3712] // GM0034
const LELYSTAD: [number, number] = [5.4714, 52.5185] // GM0995

const create = (db: DatabaseHandle['db'], clock: Clock, name: string, at: [number, number]) =>
  createAssetService({ db, clock }).create(
    assetBody({ name, kind: 'community_centre' }, at) as AssetCreateInput,
    'test',
  )

/** The ids in the assets layer of the z14 tile that holds `at`. */
async function tileIds(app: App, at: [number, number], headers: Record<string, string> = {}) {
  const [x, y] = tileRange([...at, ...at], 14)
  const res = await app.request(`/tiles/assets/14/${x}/${y}.mvt`, { headers })
  const bytes = new Uint8Array(await res.arrayBuffer())
  const layer = bytes.length ? new VectorTile(new PbfReader(bytes)).layers.assets : undefined
  const ids = Array.from({ length: layer?.length ?? 0 }, (_, i) => layer?.feature(i).properties.id)
  return { status: res.status, etag: res.headers.get('etag'), ids }
}

const rowsIn = async (handle: DatabaseHandle, id: string) =>
  (await handle.db.selectFrom('assets').select('version').where('id', '=', id).execute()).map(
    (r) => r.version,
  )

describe.each(backends())('read replica [%s]', (backend) => {
  let primary: { handle: DatabaseHandle; dispose: () => Promise<void> }
  let replica: { handle: DatabaseHandle; dispose: () => Promise<void> }
  let app: App
  let anon: App
  let clock: Clock
  const ids = { primaryOnly: '', replicaAlmere: '', replicaLelystad: '' }

  beforeAll(async () => {
    clock = steppingClock()
    // The primary: one place, no areas and no inhabitants.
    primary = await openTestDatabase(backend, {
      fill: async (h) => {
        ids.primaryOnly = (await create(h.db, clock, 'Alleen primair', LELYSTAD)).id
      },
    })
    // The replica: the real gemeenten with their inhabitants, and two other places.
    replica = await openTestDatabase(backend, {
      readOnly: true,
      areas: 'gemeenten',
      fill: async (h) => {
        ids.replicaAlmere = (await create(h.db, clock, 'Replica Almere', ALMERE)).id
        ids.replicaLelystad = (await create(h.db, clock, 'Replica Lelystad', LELYSTAD)).id
      },
    })
    const built = createApp({
      db: primary.handle.db,
      readDb: replica.handle.db,
      backend,
      config: TEST_CONFIG,
      clock,
    })
    const accounts = testAccounts(primary.handle, clock)
    anon = built
    app = withToken(built, () => accounts.token('admin'))
  }, 180_000)

  afterAll(async () => {
    await primary?.dispose()
    await replica?.dispose()
  })

  it('the replica refuses writes, as a hot standby does', async () => {
    await expect(
      sql`insert into settings (key, value) values ('x', '1'::jsonb)`.execute(replica.handle.db),
    ).rejects.toThrow(/read-only transaction/)
    await expect(awaitReplicaSchema(primary.handle.db, replica.handle.db)).resolves.toBeUndefined()
  })

  it('lists, bbox queries and exports come from the replica', async () => {
    const list = await call(app, 'GET', '/api/assets')
    expect(list.status).toBe(200)
    expect(list.json.features.map((f: any) => f.properties.name).sort()).toEqual([
      'Replica Almere',
      'Replica Lelystad',
    ])
    const almere = await call(app, 'GET', '/api/assets?bbox=5.1,52.3,5.3,52.45')
    expect(almere.json.features.map((f: any) => f.id)).toEqual([ids.replicaAlmere])
    // The replica assigned the gemeente; the primary has no areas to assign it from.
    expect(almere.json.features[0].properties.gemeente_code).toBe('GM0034')
    const byGemeente = await call(app, 'GET', '/api/assets?gemeente=GM0995')
    expect(byGemeente.json.features.map((f: any) => f.id)).toEqual([ids.replicaLelystad])

    const geojson = await call(app, 'GET', '/api/export.geojson')
    expect(geojson.status).toBe(200)
    expect(geojson.json.features.map((f: any) => f.id).sort()).toEqual(
      [ids.replicaAlmere, ids.replicaLelystad].sort(),
    )
    const csv = await call(app, 'GET', '/api/export.csv?gemeente=GM0034')
    expect(csv.status).toBe(200)
    const lines = csv.text.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(ids.replicaAlmere)
    expect(csv.text).not.toContain('Alleen primair')
  })

  it('tiles come from the replica', async () => {
    const almere = await tileIds(anon, ALMERE)
    expect(almere.status).toBe(200)
    expect(almere.ids).toEqual([ids.replicaAlmere])
    expect((await tileIds(anon, LELYSTAD)).ids).toEqual([ids.replicaLelystad])
    expect(almere.etag).toBeTruthy()
    expect((await tileIds(anon, ALMERE, { 'if-none-match': almere.etag ?? '' })).status).toBe(304)
  })

  it('areas, coverage and reports come from the replica', async () => {
    const areas = await call(anon, 'GET', '/api/areas?level=gemeente')
    expect(areas.status).toBe(200)
    expect(areas.json.features.length).toBe(6)
    expect((await call(anon, 'GET', '/api/areas/GM0034')).status).toBe(200)

    // The primary has no inhabitants: coverage there would be 409.
    const coverage = await call(anon, 'GET', '/api/coverage?area=GM0034&res=8')
    expect(coverage.status).toBe(200)
    expect(coverage.json.places).toBe(1)
    expect(coverage.json.inputs.places.counted).toBe(2)
    expect(coverage.json.inhabitants).toBeGreaterThan(200_000)
    const replicaVersion = await dataVersion(replica.handle.db)
    expect(coverage.json.inputs.dataVersion.assets).toBe(replicaVersion.assets)

    const report = await call(app, 'GET', '/reports/GM0034.json?res=8')
    expect(report.status).toBe(200)
    expect(report.json.area).toMatchObject({ code: 'GM0034', level: 'gemeente' })
    expect(report.json.map.places.map((p: any) => p.name)).toEqual(['Replica Almere'])
    expect(report.json.map.outlines).toHaveLength(1)
  })

  it('one asset, its If-Match and its history come from the primary', async () => {
    const one = await call(app, 'GET', `/api/assets/${ids.primaryOnly}`)
    expect(one.status).toBe(200)
    expect(one.headers.get('etag')).toBe('"v1"')
    expect((await call(app, 'GET', `/api/assets/${ids.replicaAlmere}`)).status).toBe(404)
    const history = await call(app, 'GET', `/api/assets/${ids.primaryOnly}/history`)
    expect(history.status).toBe(200)
    expect(history.json.entries).toHaveLength(1)

    // A precondition is checked against the primary: the replica's row is unknown there.
    const patchReplica = await call(
      app,
      'PATCH',
      `/api/assets/${ids.replicaAlmere}`,
      { properties: { name: 'Nergens' } },
      { 'if-match': '"v1"' },
    )
    expect(patchReplica.status).toBe(404)
  })

  it('writes land in the primary only, and the replica-backed reads lag until replicated', async () => {
    const before = await dataVersion(primary.handle.db)
    const patched = await call(
      app,
      'PATCH',
      `/api/assets/${ids.primaryOnly}`,
      { properties: { name: 'Primair, bewerkt' } },
      { 'if-match': '"v1"' },
    )
    expect(patched.status).toBe(200)
    expect(patched.headers.get('etag')).toBe('"v2"')
    // Read-your-writes on the primary: the next GET and a stale If-Match see version 2.
    const again = await call(app, 'GET', `/api/assets/${ids.primaryOnly}`)
    expect(again.json.properties.name).toBe('Primair, bewerkt')
    const stale = await call(
      app,
      'PATCH',
      `/api/assets/${ids.primaryOnly}`,
      { properties: { name: 'Te laat' } },
      { 'if-match': '"v1"' },
    )
    expect(stale.status).toBe(412)

    const created = await call(
      app,
      'POST',
      '/api/assets',
      assetBody({ name: 'Nieuw in Almere', kind: 'community_centre' }, ALMERE),
    )
    expect(created.status).toBe(201)
    const id = created.json.id as string
    expect(await rowsIn(primary.handle, id)).toEqual([1])
    expect(await rowsIn(replica.handle, id)).toEqual([])
    expect(await rowsIn(primary.handle, ids.primaryOnly)).toEqual([2])
    expect((await dataVersion(primary.handle.db)).assets).toBeGreaterThan(before.assets)

    // Not replicated here, so the list and coverage still show the replica's data and version.
    const list = await call(app, 'GET', '/api/assets')
    expect(list.json.features.map((f: any) => f.id)).not.toContain(id)
    expect((await tileIds(anon, ALMERE)).ids).toEqual([ids.replicaAlmere])
    const coverage = await call(anon, 'GET', '/api/coverage?area=GM0034&res=8')
    expect(coverage.json.places).toBe(1)
    expect(coverage.json.inputs.dataVersion.assets).toBe(
      (await dataVersion(replica.handle.db)).assets,
    )
  })

  it('sign-in and sessions work on the primary', async () => {
    await makeUser({ handle: primary.handle, clock } as never, 'trusted')
    const browser = new Browser(anon)
    const login = await browser.login('trusted@example.nl', PASSWORD)
    expect(login.status).toBe(200)
    const me = await browser.request('GET', '/api/auth/me')
    expect(me.status).toBe(200)
    expect(me.json.user.email).toBe('trusted@example.nl')
    const created = await browser.request(
      'POST',
      '/api/assets',
      assetBody({ name: 'Via een sessie' }, LELYSTAD),
    )
    expect(created.status, created.text).toBe(201)
    expect(await rowsIn(primary.handle, created.json.id as string)).toEqual([1])
    const sessions = await primary.handle.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(sessions.n)).toBe(1)
  })

  it('refuses a replica that lacks the primary schema', async () => {
    // A replica whose migration table lost its newest row: as if replication had stopped.
    const behind = await openTestDatabase(backend, {
      readOnly: true,
      fill: async (h) => {
        await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(
          h.db,
        )
      },
    })
    try {
      await expect(
        awaitReplicaSchema(primary.handle.db, behind.handle.db, { timeoutMs: 0 }),
      ).rejects.toThrow(/not at the primary's schema: it has migration 2026-/)
    } finally {
      await behind.dispose()
    }
  })
})
