import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_REGION_BBOX } from '../../api/config.js'
import { createApp } from '../../api/http/app.js'
import { CACHE_HASHED, CACHE_OTHER } from '../../api/http/web-files.js'

/** A built web app as Vite and its compression plugin leave it: each text file with .br and .gz. */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-web-'))
const SCRIPT = `console.log(${JSON.stringify('buurtkaart '.repeat(200))})\n`
const INDEX =
  '<!doctype html><title>Buurtkaart</title><script src="/assets/index-abc123.js"></script>'
function withCopies(relative: string, text: string) {
  const file = path.join(root, relative)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  fs.writeFileSync(`${file}.br`, brotliCompressSync(text))
  fs.writeFileSync(`${file}.gz`, gzipSync(text))
}
withCopies('index.html', INDEX)
withCopies('assets/index-abc123.js', SCRIPT)
// A small file the plugin left alone (its copies would not be smaller).
fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg/>')
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

// No database is needed: the files are answered before any query.
const app = createApp({
  db: undefined as never,
  backend: 'pglite',
  config: { regionBbox: DEFAULT_REGION_BBOX, regionName: 'Flevoland', maxBodyBytes: 1024 },
  webRoot: root,
})
const get = (url: string, acceptEncoding?: string) =>
  app.request(url, acceptEncoding ? { headers: { 'accept-encoding': acceptEncoding } } : {})

describe('the web app files', () => {
  it('sends the Brotli copy to a browser that takes it, gzip to one that takes only that', async () => {
    const br = await get('/assets/index-abc123.js', 'gzip, deflate, br, zstd')
    expect(br.status).toBe(200)
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('content-type')).toMatch(/^text\/javascript/)
    const brBytes = Buffer.from(await br.arrayBuffer())
    expect(brBytes.length).toBeLessThan(SCRIPT.length / 4)
    expect(brotliDecompressSync(brBytes).toString()).toBe(SCRIPT)

    const gz = await get('/assets/index-abc123.js', 'gzip')
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(SCRIPT)

    const plain = await get('/assets/index-abc123.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(SCRIPT)
    // Every copy says the answer depends on Accept-Encoding, the uncompressed one too.
    for (const res of [br, gz, plain]) expect(res.headers.get('vary')).toBe('Accept-Encoding')
  })

  it('lets browsers keep content-named assets for a year, and check the page on every visit', async () => {
    const asset = await get('/assets/index-abc123.js', 'br')
    expect(asset.headers.get('cache-control')).toBe(CACHE_HASHED)
    expect(CACHE_HASHED).toBe('public, max-age=31536000, immutable')

    for (const url of ['/', '/index.html']) {
      const page = await get(url, 'br')
      expect(page.status).toBe(200)
      expect(page.headers.get('content-encoding')).toBe('br')
      expect(page.headers.get('cache-control')).toBe(CACHE_OTHER)
      expect(brotliDecompressSync(Buffer.from(await page.arrayBuffer())).toString()).toBe(INDEX)
    }
    const icon = await get('/favicon.svg', 'br')
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-encoding')).toBeNull()
    expect(icon.headers.get('cache-control')).toBe(CACHE_OTHER)
  })

  it('does not let a missing asset be kept: its 404 has no cache lifetime', async () => {
    const res = await get('/assets/index-old999.js', 'br')
    expect(res.status).toBe(404)
    expect(res.headers.get('cache-control')).not.toBe(CACHE_HASHED)
    expect(res.headers.get('content-encoding')).toBeNull()
  })
})
