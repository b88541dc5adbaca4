import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { deflateSync, gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { PbfWriter } from 'pbf'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../api/domain/errors.js'
import { countAssets } from '../../api/repositories/assets.js'
import { countHistory } from '../../api/repositories/history.js'
import { detectOsmFile, readOsm } from '../../api/services/osm-reader.js'
import {
  assetBody,
  call,
  describeBackends,
  readResponse,
  type TestContext,
} from '../helpers/backends.js'
import { NL, pbfBytes } from '../helpers/osm.js'

/** The unpacked size an OpenStreetMap import may reach here (BUURTKAART_MAX_OSM_BYTES). */
const LIMIT = 256 * 1024
const MiB = 1024 * 1024

/** A footway of three nodes in Lelystad: the smallest file that makes a network. */
const FOOTWAY = `<osm version="0.6">
  <node id="1" lat="52.5" lon="5.47"/><node id="2" lat="52.5" lon="5.471"/>
  <node id="3" lat="52.501" lon="5.472"/>
  <way id="9"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
</osm>`

async function stored(ctx: TestContext) {
  const edges = await sql<{ n: number }>`select count(*)::int as n from network_edges`.execute(
    ctx.handle.db,
  )
  return {
    assets: await countAssets(ctx.handle.db),
    history: await countHistory(ctx.handle.db),
    edges: edges.rows[0]!.n,
  }
}

function expectProblem(res: { status: number; headers: Headers; json: any }, status: number) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
  expect(res.json.messages.detail.nl.length).toBeGreaterThan(0)
  expect(res.json.messages.detail.en.length).toBeGreaterThan(0)
}

describeBackends(
  'hostile files: OpenStreetMap, CSV and GeoJSON',
  (ctx) => {
    const upload = async (body: Buffer | string, query = '') =>
      readResponse(
        await ctx().app.request(`/api/network/import${query}`, {
          method: 'POST',
          body: typeof body === 'string' ? body : new Uint8Array(body),
        }),
      )

    /** A place and a network that a refused file must leave as they are. */
    async function somethingStored() {
      expect((await call(ctx().app, 'POST', '/api/assets', assetBody())).status).toBe(201)
      expect((await upload(FOOTWAY, '?places=false')).status).toBe(200)
      return stored(ctx())
    }

    /** Each refusal is a 422 problem, changes nothing, and the service answers the next request. */
    async function expectRefused(file: Buffer | string, fieldCode: string) {
      const before = await stored(ctx())
      for (const query of ['?dryRun=true', '']) {
        const res = await upload(file, query)
        expectProblem(res, 422)
        expect(res.json.errors[0]).toMatchObject({ pointer: '/file', code: fieldCode })
        expect((await call(ctx().app, 'GET', '/api/network')).status).toBe(200)
      }
      expect(await stored(ctx())).toEqual(before)
      return upload(file, '?dryRun=true')
    }

    it('a 29-byte PBF whose header blob is not zlib gets a 422, and the service keeps answering', async () => {
      await somethingStored()
      const file = pbfBytes([{ type: 'OSMHeader', zlib: Buffer.from('not zlib!!') }])
      expect(file.length).toBe(29)
      await expectRefused(file, 'format')
    })

    it('refuses a PBF blob the format does not allow (over 32 MiB) before inflating it', async () => {
      await somethingStored()
      const header = { type: 'OSMHeader', zlib: deflateSync(Buffer.alloc(0)) }
      const claimed = pbfBytes([
        header,
        { type: 'OSMData', rawSize: 40 * MiB, zlib: deflateSync(Buffer.alloc(16)) },
      ])
      await expectRefused(claimed, 'pbf_limit')
      // A BlobHeader must be under 64 KiB.
      const big = new PbfWriter()
      big.writeStringField(1, 'OSMHeader')
      big.writeBytesField(2, Buffer.alloc(70_000))
      big.writeVarintField(3, 0)
      const head = Buffer.from(big.finish())
      const length = Buffer.alloc(4)
      length.writeUInt32BE(head.length)
      await expectRefused(Buffer.concat([length, head]), 'pbf_limit')
    })

    it('stops a zlib bomb inside a PBF blob at the configured limit, never inflating beyond it', async () => {
      await somethingStored()
      const header = { type: 'OSMHeader', zlib: deflateSync(Buffer.alloc(0)) }
      const bomb = deflateSync(Buffer.alloc(8 * MiB))
      expect(bomb.length).toBeLessThan(16 * 1024)
      // Without raw_size, with an honest one, and with one that understates the size.
      for (const rawSize of [undefined, 8 * MiB]) {
        const res = await expectRefused(
          pbfBytes([header, { type: 'OSMData', zlib: bomb, ...(rawSize ? { rawSize } : {}) }]),
          'too_large',
        )
        expect(res.json.limit_bytes).toBe(LIMIT)
        expect(res.json.unpacked_bytes).toBeLessThanOrEqual(LIMIT)
      }
      await expectRefused(
        pbfBytes([header, { type: 'OSMData', zlib: bomb, rawSize: 1024 }]),
        'format',
      )
    })

    it('stops gzipped XML at the configured limit while it unpacks', async () => {
      await somethingStored()
      const xml = `<osm version="0.6">${' '.repeat(8 * MiB)}</osm>`
      const file = gzipSync(xml)
      expect(file.length).toBeLessThan(LIMIT)
      const res = await expectRefused(file, 'too_large')
      expect(res.json).toMatchObject({ limit_bytes: LIMIT })
      expect(res.json.unpacked_bytes).toBeLessThanOrEqual(LIMIT)
      // Damaged after a good start: the gzip stream itself fails halfway.
      const damaged = Buffer.from(gzipSync(FOOTWAY.repeat(50)))
      damaged.fill(0xff, 40, 80)
      await expectRefused(damaged, 'format')
    })

    it('refuses one XML attribute or JSON string over 64 KiB while reading it, not after', async () => {
      await somethingStored()
      const long = 'x'.repeat(100 * 1024)
      const xml = `<osm version="0.6"><node id="1" lat="52.5" lon="5.47"><tag k="name" v="${long}"/></node></osm>`
      await expectRefused(gzipSync(xml), 'format')
      const json = JSON.stringify({
        elements: [{ type: 'node', id: 1, lat: 52.5, lon: 5.47, tags: { name: long } }],
      })
      await expectRefused(gzipSync(json), 'format')
    })

    it('text PostgreSQL cannot store in an imported CSV or GeoJSON gets a 422 naming the row and field', async () => {
      const before = await somethingStored()
      const importFile = async (body: string, query: string, type: string) =>
        call(ctx().app, 'POST', `/api/import${query}`, body, { 'content-type': type })
      const cell = await importFile(
        'name,kind,lon,lat\nGoed,bench,5.47,52.51\nBank\u0000je,bench,5.48,52.51\n',
        '',
        'text/csv',
      )
      expectProblem(cell, 422)
      expect(cell.json.report.errors).toMatchObject([
        { row: 3, errors: [{ pointer: '/properties/name', code: 'control_character' }] },
      ])
      const header = await importFile(
        'name,kind,lon,lat,no\u0000te\nGoed,bench,5.47,52.51,x\n',
        '',
        'text/csv',
      )
      expectProblem(header, 422)
      expect(header.json.errors[0]).toMatchObject({ pointer: '/5', code: 'control_character' })
      // Sent as plain text, past the service's check of JSON bodies.
      const point = (properties: Record<string, unknown>) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [5.47, 52.51] },
        properties: { kind: 'bench', ...properties },
      })
      const geojson = JSON.stringify({
        type: 'FeatureCollection',
        features: [
          point({ name: 'Bankje \ud800' }),
          point({ name: 'Bank', 'no\u0000te': 1 }),
          point({ name: 'Goed' }),
        ],
      })
      for (const query of ['?format=geojson', '?format=geojson&dryRun=true']) {
        const res = await importFile(geojson, query, 'text/plain')
        const report = query.includes('dryRun') ? res.json : res.json.report
        if (!query.includes('dryRun')) expectProblem(res, 422)
        expect(report.errors).toMatchObject([
          { row: 1, errors: [{ pointer: '/properties/name', code: 'invalid_text' }] },
          { row: 2, errors: [{ pointer: '/properties/no\u0000te', code: 'control_character' }] },
        ])
        expect(report.ignored_fields).toEqual([])
      }
      expect(await stored(ctx())).toEqual(before)
    })

    it('OpenStreetMap text PostgreSQL cannot store is cleaned and reported, never a 500', async () => {
      await somethingStored()
      const node = (id: number, tags: Record<string, string>) => ({
        type: 'node',
        id,
        lat: 52.52 + id / 1000,
        lon: 5.47,
        tags: { amenity: 'cafe', ...tags },
      })
      const file = JSON.stringify({
        elements: [
          node(1, { name: 'Koffie \ud800' }),
          node(2, { name: 'Thee', opening_hours: 'Mo-Fr 09:00-17:00\u0000' }),
          // 200 characters at most: cut there, an emoji would leave half a surrogate pair.
          node(3, { name: `${'a'.repeat(199)}😀`, description: 'lekker \udfff' }),
        ],
      })
      const res = await upload(file, '?network=false')
      expect(res.status, res.text).toBe(200)
      expect(res.json.places).toMatchObject({ created: 3, invalid: [], dropped: [] })
      expect(res.json.places.cleaned).toEqual([
        { ref: 'node/1', field: 'name', value: 'Koffie \ufffd' },
        { ref: 'node/2', field: 'opening_hours', value: 'Mo-Fr 09:00-17:00' },
        { ref: 'node/3', field: 'description', value: 'lekker \ufffd' },
      ])
      const rows = await sql<{ name: string; description: string | null }>`
        select name, description from assets where source = 'osm'`.execute(ctx().handle.db)
      expect(rows.rows.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([
        { name: 'Koffie \ufffd', description: null },
        { name: 'Thee', description: null },
        { name: 'a'.repeat(199), description: 'lekker \ufffd' },
      ])
    })
  },
  { config: { regionBbox: NL, regionName: 'Nederland', maxOsmBytes: LIMIT } },
)

describe('reading OpenStreetMap files', () => {
  it('a file that is gone by the time it is read fails as a value, not as an unhandled error event', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-hostile-'))
    const gone = path.join(dir, 'gone.osm')
    const read = async () => {
      for await (const batch of readOsm(gone, { format: 'xml', gzip: false, bytes: 100 }))
        expect(batch).toBeDefined()
    }
    await expect(read()).rejects.toBeInstanceOf(DomainError)
    // Given a directory, or a path that is not there, the format check says so plainly.
    await expect(detectOsmFile(dir)).rejects.toMatchObject({
      message: 'The file cannot be opened (EISDIR).',
    })
    await expect(detectOsmFile(gone)).rejects.toBeInstanceOf(DomainError)
    fs.rmSync(dir, { recursive: true })
  })
})
