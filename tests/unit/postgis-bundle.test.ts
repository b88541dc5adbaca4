import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { postgis } from '@electric-sql/pglite-postgis'
import { list } from 'tar'
import { afterAll, describe, expect, it } from 'vitest'
import {
  fullPostgisBundle,
  inPostgisCore,
  postgisCore,
  postgisCoreBundle,
} from '../../api/db/postgis-bundle.js'

const dirs: string[] = []
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buurtkaart-postgis-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/** The files in a bundle, by path. */
async function files(bundle: string): Promise<Map<string, number>> {
  const found = new Map<string, number>()
  await list({ file: bundle, onReadEntry: (e) => void found.set(e.path, e.size) })
  return found
}

describe('the PostGIS core bundle for embedded PGlite', () => {
  it('keeps the core library, its SQL and PROJ whole, and leaves raster and topology out', async () => {
    const cache = tempDir()
    const core = await postgisCoreBundle(cache)
    expect(core).toBeDefined()
    const kept = await files(fileURLToPath(core!))
    const full = await files(await fullPostgisBundle())
    for (const p of [
      'lib/postgresql/postgis-3.so',
      'share/postgresql/extension/postgis.control',
      'share/postgresql/extension/postgis--3.6.2.sql',
      'share/proj/proj.db',
    ]) {
      expect(kept.get(p), p).toBe(full.get(p))
      expect(kept.get(p), p).toBeGreaterThan(0)
    }
    for (const p of [
      'lib/postgresql/postgis_raster-3.so',
      'lib/postgresql/postgis_topology-3.so',
    ]) {
      expect(full.has(p), p).toBe(true)
      expect(kept.has(p), p).toBe(false)
    }
    // Everything kept is what the rule keeps, and nothing the rule keeps is missing.
    expect([...kept.keys()].every(inPostgisCore)).toBe(true)
    expect([...full.keys()].filter((p) => inPostgisCore(p) && !p.endsWith('/')).sort()).toEqual(
      [...kept.keys()].filter((p) => !p.endsWith('/')).sort(),
    )
    // Cut once: a second call in the same cache finds it.
    expect(await postgisCoreBundle(cache)).toEqual(core)
    expect(fs.readdirSync(cache)).toHaveLength(1)
  })

  it('falls back to the full bundle where the cache cannot be written', async () => {
    const file = path.join(tempDir(), 'a-file')
    fs.writeFileSync(file, '')
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.message)
    process.on('warning', onWarning)
    try {
      expect(await postgisCore(path.join(file, 'cache'))).toBe(postgis)
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.join('\n')).toContain('Using the full PostGIS bundle')
  })

  it('names which paths are core', () => {
    expect(inPostgisCore('lib/postgresql/postgis-3.so')).toBe(true)
    expect(inPostgisCore('lib/postgresql/postgis_raster-3.so')).toBe(false)
    expect(inPostgisCore('lib/postgresql/postgis_topology-3.so')).toBe(false)
    expect(inPostgisCore('share/postgresql/extension/postgis--3.5.0--3.6.2.sql')).toBe(true)
    expect(inPostgisCore('share/postgresql/extension/postgis--unpackaged--3.6.2.sql')).toBe(false)
    expect(inPostgisCore('share/postgresql/extension/postgis_raster--3.6.2.sql')).toBe(false)
    expect(inPostgisCore('share/postgresql/contrib/postgis-3.6/postgis.sql')).toBe(false)
  })
})
