import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { OsmImportReport } from '../../api/services/osm-import.js'
import { DomainError } from '../../api/domain/errors.js'
import { tryImportLock } from '../../api/repositories/network.js'
import { dataVersion } from '../../api/repositories/population.js'
import { call, describeBackends, requireSharedData, type TestContext } from '../helpers/backends.js'
import { importOsmFile, loadSyntheticDelftAreas, NL } from '../helpers/osm.js'

const config = { regionBbox: NL, regionName: 'Nederland', snapLimitM: 500 }

const DELFT = 'osm/tudelft.osm.pbf'
const AMSTERDAM = 'osm/amsterdam.osm.gz'

const count = async (ctx: TestContext, table: string) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
      ctx.handle.db,
    )
  ).rows[0]!.n

let delft: OsmImportReport | undefined

describeBackends(
  'network and places from the real Delft extract',
  (ctx) => {
    it('reads every element of the PBF and stores a pgRouting-style network', async () => {
      expect(delft?.elements).toEqual({ nodes: 67_612, ways: 9_619, relations: 202 })
      // SOURCES.md: the newest object in the file is from 2025-08-06T18:36:59Z.
      expect(delft?.newest_object).toBe('2025-08-06T18:36:59.000Z')
      const net = delft!.network!
      expect(net.walk.edges).toBeGreaterThan(3000)
      expect(net.bike.edges).toBeGreaterThan(1500)
      expect(await count(ctx(), 'network_nodes')).toBe(net.nodes)
      const bad = await sql<{ n: number }>`
        select count(*)::int as n from network_edges e
        left join network_nodes s on s.id = e.source left join network_nodes t on t.id = e.target
        where s.id is null or t.id is null
           or (e.cost >= 0 and e.cost < e.length_m) or (e.reverse_cost >= 0 and e.reverse_cost < e.length_m)
           or (e.cost < 0 and e.reverse_cost < 0)
           or abs(ST_Length(ST_Transform(e.geom, 28992)) - e.length_m) > 0.01 * e.length_m + 0.01`.execute(
        ctx().handle.db,
      )
      expect(bad.rows[0]!.n).toBe(0)
      const oneWayForBikes = await sql<{ n: number }>`
        select count(*)::int as n from network_edges where profile = 'bike' and (cost < 0 or reverse_cost < 0)`.execute(
        ctx().handle.db,
      )
      expect(oneWayForBikes.rows[0]!.n).toBeGreaterThan(0)
      const res = await call(ctx().app, 'GET', '/api/network')
      expect(res.status).toBe(200)
      expect(res.json.profiles.map((p: { profile: string }) => p.profile)).toEqual(['bike', 'walk'])
      expect(res.json.profiles[0].source.file).toBe('tudelft.osm.pbf')
    })

    it('brings the tagged places into the register by kind, public ones only', async () => {
      const rows = await sql<{ kind: string; n: number }>`
        select kind, count(*)::int as n from assets where source = 'osm' group by kind order by kind`.execute(
        ctx().handle.db,
      )
      const byKind = Object.fromEntries(rows.rows.map((r) => [r.kind, r.n]))
      // SOURCES.md counts: community_centre 1, library 1, place_of_worship 4, leisure=park 3.
      expect(byKind).toMatchObject({
        community_centre: 1,
        library: 1,
        place_of_worship: 4,
        park_square: 3,
      })
      expect(delft!.places!.not_public).toBeGreaterThan(0) // access=private picnic tables
      const ref = await sql<{ n: number }>`
        select count(*)::int as n from assets where source = 'osm' and source_ref !~ '^(node|way|relation)/[0-9]+$'`.execute(
        ctx().handle.db,
      )
      expect(ref.rows[0]!.n).toBe(0)
    })

    it('answers mode=walk and mode=bike with the network named in the inputs', async () => {
      for (const mode of ['walk', 'bike']) {
        const res = await call(ctx().app, 'GET', `/api/coverage?area=GM9901&mode=${mode}&gaps=5`)
        expect(res.status, res.text).toBe(200)
        expect(res.json.inputs.network.source).toMatchObject({
          file: 'tudelft.osm.pbf',
          newestObject: '2025-08-06T18:36:59.000Z',
        })
        expect(res.json.inputs.network.licence).toMatch(/OpenStreetMap/)
        // The sea wijk has no path within 500 m: reported, not dropped.
        expect(res.json.network.unreachableInhabitants.noPathNearby).toBe(600)
        expect(res.json.unreachableInhabitants).toBeGreaterThanOrEqual(600)
        expect(res.json.inhabitants).toBe(5600)
        expect(res.json.network.meanDetourFactor).toBeGreaterThan(1)
      }
    })

    it('never reports a network distance shorter than the straight line', async () => {
      const line = await call(ctx().app, 'GET', '/api/hexes?metric=distance&mode=line&res=10')
      const walk = await call(ctx().app, 'GET', '/api/hexes?metric=distance&mode=walk&res=10')
      expect(walk.status, walk.text).toBe(200)
      const straight = new Map<string, number>(
        line.json.cells.map((c: string, i: number) => [c, line.json.distanceM[i]]),
      )
      let compared = 0
      walk.json.cells.forEach((c: string, i: number) => {
        const d = walk.json.distanceM[i] as number | null
        if (d === null) {
          expect(walk.json.unreachable[i]).toMatch(/^no_/)
          return
        }
        expect(d).toBeGreaterThanOrEqual(straight.get(c)! - 1) // both rounded to metres
        compared++
      })
      expect(compared).toBeGreaterThan(100)
    })

    it('gives the detour factor per cell for walk and bike, and refuses it for the straight line', async () => {
      const res = await call(ctx().app, 'GET', '/api/hexes?metric=detour&mode=walk&res=9')
      expect(res.status, res.text).toBe(200)
      const factors = (res.json.detour as (number | null)[]).filter((f) => f !== null)
      expect(factors.length).toBeGreaterThan(10)
      for (const f of factors) expect(f).toBeGreaterThanOrEqual(1)
      const line = await call(ctx().app, 'GET', '/api/hexes?metric=detour&mode=line')
      expect(line.status).toBe(400)
      expect(line.headers.get('content-type')).toMatch(/problem\+json/)
      expect(line.json.errors[0].pointer).toBe('mode')
    })

    it('keeps the stored network when a file has no paths (places only), and says why', async () => {
      const edges = await count(ctx(), 'network_edges')
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-osm-test-'))
      const file = overpassFile(dir, 'places.json', { name: 'Koffie A' })
      const error = await importOsmFile(ctx(), file).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'validation_failed' })
      expect((error as DomainError).detail.en).toMatch(/stored network is kept/)
      expect(await count(ctx(), 'network_edges')).toBe(edges)
      fs.rmSync(dir, { recursive: true })
    })

    it('re-imports the same file without duplicating anything', async () => {
      const before = await count(ctx(), 'assets')
      const versionBefore = (await dataVersion(ctx().handle.db)).network
      const again = await importOsmFile(ctx(), requireSharedData(DELFT))
      expect(again.places).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: delft!.places!.created,
      })
      expect(await count(ctx(), 'assets')).toBe(before)
      expect((await dataVersion(ctx().handle.db)).network).toBeGreaterThan(versionBefore)
    })
  },
  {
    config,
    reset: 'none',
    setup: async (c) => {
      await loadSyntheticDelftAreas(c)
      delft = await importOsmFile(c, requireSharedData(DELFT))
    },
  },
)

/** Writes an Overpass JSON file with one café and one bench. */
function overpassFile(dir: string, name: string, cafe: Record<string, string>): string {
  const file = path.join(dir, name)
  fs.writeFileSync(
    file,
    JSON.stringify({
      version: 0.6,
      generator: 'Overpass API (test)',
      elements: [
        { type: 'node', id: 1001, lat: 52.52, lon: 5.47, tags: { amenity: 'cafe', ...cafe } },
        { type: 'node', id: 1002, lat: 52.521, lon: 5.471, tags: { amenity: 'bench' } },
      ],
    }),
  )
  return file
}

describeBackends(
  'OpenStreetMap re-imports and people’s edits',
  (ctx) => {
    const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-osm-test-'))

    it('updates what OpenStreetMap changed, keeps what a person edited, and reports the clash', async () => {
      const dir = tmp()
      const v1 = overpassFile(dir, 'v1.json', {
        name: 'Koffie A',
        opening_hours: 'Mo-Fr 09:00-17:00',
        wheelchair: 'no',
      })
      const first = await importOsmFile(ctx(), v1, { network: false })
      expect(first.places).toMatchObject({ created: 2, updated: 0 })

      const list = await call(ctx().app, 'GET', '/api/assets?q=Koffie')
      const cafe = list.json.features[0]
      const edited = await call(
        ctx().app,
        'PATCH',
        `/api/assets/${cafe.id}`,
        { properties: { name: 'Koffiehuis Anders', wheelchair: 'yes' } },
        { 'if-match': `"v${cafe.properties.version}"` },
      )
      expect(edited.status, edited.text).toBe(200)

      // OpenStreetMap renames the café and changes its hours; the wheelchair tag stays "no".
      const v2 = overpassFile(dir, 'v2.json', {
        name: 'Koffie B',
        opening_hours: 'Mo-Sa 08:00-18:00',
        wheelchair: 'no',
      })
      const second = await importOsmFile(ctx(), v2, { network: false })
      expect(second.places).toMatchObject({ created: 0, updated: 1, unchanged: 1 })
      expect(second.places!.conflicts).toEqual([
        {
          ref: 'node/1001',
          asset_id: cafe.id,
          field: 'name',
          buurtkaart: 'Koffiehuis Anders',
          osm: 'Koffie B',
        },
      ])
      const after = await call(ctx().app, 'GET', `/api/assets/${cafe.id}`)
      expect(after.json.properties).toMatchObject({
        name: 'Koffiehuis Anders',
        wheelchair: 'yes',
        opening_hours: 'Mo-Sa 08:00-18:00',
        source: 'osm',
        source_ref: 'node/1001',
      })
      const history = await call(ctx().app, 'GET', `/api/assets/${cafe.id}/history`)
      expect(history.json.entries.map((e: { action: string }) => e.action)).toEqual([
        'import',
        'update',
        'import',
      ])
      fs.rmSync(dir, { recursive: true })
    })

    it('refuses a second import while one is running', async () => {
      if (ctx().backend === 'pglite') {
        // One connection: imports run one after another; the lock is still taken and released.
        await ctx()
          .handle.db.transaction()
          .execute(async (trx) => {
            expect(await tryImportLock(trx)).toBe(true)
          })
        return
      }
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      let taken: () => void = () => {}
      const lockTaken = new Promise<void>((resolve) => (taken = resolve))
      const holder = ctx()
        .handle.db.transaction()
        .execute(async (trx) => {
          expect(await tryImportLock(trx)).toBe(true)
          taken()
          await held
        })
      await lockTaken
      const dir = tmp()
      const file = overpassFile(dir, 'v1.json', { name: 'Koffie A' })
      await expect(importOsmFile(ctx(), file, { network: false })).rejects.toMatchObject({
        code: 'conflict',
      })
      release()
      await holder
      const after = await importOsmFile(ctx(), file, { network: false })
      expect(after.places?.created).toBe(2)
      fs.rmSync(dir, { recursive: true })
    })

    it('leaves a place a person deleted deleted', async () => {
      const dir = tmp()
      const v1 = overpassFile(dir, 'v1.json', { name: 'Koffie A' })
      await importOsmFile(ctx(), v1, { network: false })
      const list = await call(ctx().app, 'GET', '/api/assets?q=Koffie')
      const cafe = list.json.features[0]
      const del = await call(ctx().app, 'DELETE', `/api/assets/${cafe.id}`, undefined, {
        'if-match': `"v${cafe.properties.version}"`,
      })
      expect(del.status).toBe(204)
      const again = await importOsmFile(ctx(), v1, { network: false })
      expect(again.places).toMatchObject({ created: 0, skipped_deleted: 1 })
      expect((await call(ctx().app, 'GET', `/api/assets/${cafe.id}`)).status).toBe(410)
      fs.rmSync(dir, { recursive: true })
    })

    it('refuses a damaged file and changes nothing', async () => {
      const dir = tmp()
      const broken = path.join(dir, 'broken.osm.pbf')
      fs.writeFileSync(broken, fs.readFileSync(requireSharedData(DELFT)).subarray(0, 300_000))
      await expect(importOsmFile(ctx(), broken)).rejects.toBeInstanceOf(DomainError)
      // A cut-off Overpass answer, and XML with a node that has only half a position.
      const cut = path.join(dir, 'cut.json')
      fs.writeFileSync(cut, '{"elements":[{"type":"node","id":1,"lat":52,"lon":4}')
      await expect(importOsmFile(ctx(), cut)).rejects.toMatchObject({ code: 'validation_failed' })
      const half = path.join(dir, 'half.osm')
      fs.writeFileSync(
        half,
        `<osm version="0.6"><node id="1" lon="5.47"/><node id="2" lat="52.5" lon="5.471"/>
         <node id="3" lat="52.501" lon="5.472"/>
         <way id="9"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way></osm>`,
      )
      const report = await importOsmFile(ctx(), half, { places: false, dryRun: true })
      expect(report.network).toMatchObject({ edges: 1, missing_nodes: 1 })
      const notOsm = path.join(dir, 'notes.txt')
      fs.writeFileSync(notOsm, 'hello')
      await expect(importOsmFile(ctx(), notOsm)).rejects.toMatchObject({
        code: 'validation_failed',
      })
      expect(await count(ctx(), 'assets')).toBe(0)
      expect(await count(ctx(), 'network_edges')).toBe(0)
      fs.rmSync(dir, { recursive: true })
    })

    it('says there is no network for walk before one is imported', async () => {
      await loadSyntheticDelftAreas(ctx())
      const res = await call(ctx().app, 'GET', '/api/coverage?area=GM9901&mode=walk')
      expect(res.status).toBe(409)
      expect(res.json.detail).toMatch(/import:osm/)
    })

    it('imports gzipped OSM XML through the admin endpoint, and only for admins', async () => {
      const body = fs.readFileSync(requireSharedData(AMSTERDAM))
      const anonymous = await ctx().anon.request('/api/network/import', { method: 'POST', body })
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('content-type')).toMatch(/problem\+json/)
      const moderator = await (
        await ctx().as('moderator')
      ).request('/api/network/import', {
        method: 'POST',
        body,
      })
      expect(moderator.status).toBe(403)
      const wrong = await ctx().app.request('/api/network/import', {
        method: 'POST',
        body,
        headers: { authorization: 'Bearer not-the-token' },
      })
      expect(wrong.status).toBe(401)
      expect(wrong.headers.get('www-authenticate')).toMatch(/Bearer/)
      expect(await count(ctx(), 'network_edges')).toBe(0)

      const garbage = await ctx().app.request('/api/network/import', {
        method: 'POST',
        body: 'not an osm file',
      })
      expect(garbage.status).toBe(422)
      const problem = (await garbage.json()) as { errors: { pointer: string }[] }
      expect(problem.errors[0]!.pointer).toBe('/file')

      const ok = await ctx().app.request('/api/network/import?name=amsterdam.osm.gz', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/gzip' },
      })
      expect(ok.status).toBe(200)
      const report = (await ok.json()) as OsmImportReport
      expect(report.file).toMatchObject({ format: 'xml', gzip: true })
      expect(report.elements).toEqual({ nodes: 36_098, ways: 3_435, relations: 183 })
      expect(report.newest_object).toBe('2026-02-13T12:11:40.000Z')
      expect(report.places!.created).toBeGreaterThan(100)
      expect(await count(ctx(), 'network_edges')).toBe(
        report.network!.walk.edges + report.network!.bike.edges,
      )
    })
  },
  { config, reset: 'all' },
)
