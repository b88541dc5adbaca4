import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Extension } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { Pack, Parser, type ReadEntry } from 'tar'
import { projectRoot } from '../config.js'

/**
 * PostGIS for embedded PGlite as the service uses it: the core library (`postgis-3.so`), its
 * extension SQL and the PROJ database.
 *
 * pglite-postgis ships one bundle with the raster and topology libraries too: 48 MB of
 * WebAssembly of which the service uses 17. PGlite unpacks a bundle and compiles every library in
 * it each time it opens a database, so each open spent about a second of CPU on code that never
 * runs. The core bundle is cut from the installed one (nothing is downloaded or changed in
 * node_modules' packages) once per version, into a cache; an open then finds it there.
 */

/** What the core bundle keeps of pglite-postgis's bundle (paths inside the tarball). */
export function inPostgisCore(entryPath: string): boolean {
  const p = entryPath.replace(/^\.\//, '')
  return (
    p.endsWith('/') ||
    p === 'lib/postgresql/postgis-3.so' ||
    p.startsWith('share/proj/') ||
    p === 'share/postgresql/extension/postgis.control' ||
    // The install script of each version and the upgrade paths to it; not the script that
    // adopts a PostGIS 1.x database's loose functions ("unpackaged").
    /^share\/postgresql\/extension\/postgis--(?!unpackaged--)[^/]+\.sql$/.test(p)
  )
}

/** Where the core bundles are kept: beside the packages they are cut from. */
export const POSTGIS_CACHE_DIR = path.join(projectRoot, 'node_modules', '.cache', 'buurtkaart')

/**
 * The PostGIS extension for PGlite.create, with the core bundle in place of the full one. Where
 * the cache cannot be written (a read-only install), the full bundle: the same PostGIS, slower to
 * open.
 */
export async function postgisCore(cacheDir = POSTGIS_CACHE_DIR): Promise<Extension> {
  const core = await postgisCoreBundle(cacheDir)
  if (!core) return postgis
  return {
    name: postgis.name,
    setup: async (pg, emscriptenOpts) => ({
      ...(await postgis.setup(pg, emscriptenOpts)),
      bundlePath: core,
    }),
  }
}

const coreBundles = new Map<string, Promise<URL | undefined>>()

/** The core bundle in `cacheDir`, cut once per process; undefined when it could not be. */
export function postgisCoreBundle(cacheDir = POSTGIS_CACHE_DIR): Promise<URL | undefined> {
  let cut = coreBundles.get(cacheDir)
  if (!cut) {
    cut = cutCoreBundle(cacheDir).catch((e: unknown) => {
      process.emitWarning(
        `Using the full PostGIS bundle: could not cut the core bundle into ${cacheDir} (${String(e)})`,
      )
      return undefined
    })
    coreBundles.set(cacheDir, cut)
  }
  return cut
}

/** The full bundle's file, as pglite-postgis's own set-up names it. */
export async function fullPostgisBundle(): Promise<string> {
  const { bundlePath } = await postgis.setup(
    {} as never,
    { PGLITE_ENV: {} } as Parameters<typeof postgis.setup>[1],
  )
  if (!bundlePath) throw new Error('pglite-postgis names no bundle')
  return fileURLToPath(bundlePath)
}

/**
 * The core bundle for the installed pglite-postgis, cut when the cache has none for it (named by
 * the full bundle's size and time, so a new version gets its own). Written to a temporary file
 * and renamed, so processes opening at the same time never read half a bundle.
 */
async function cutCoreBundle(cacheDir: string): Promise<URL> {
  const full = await fullPostgisBundle()
  const stat = fs.statSync(full)
  const target = path.join(cacheDir, `postgis-core-${stat.size}-${Math.round(stat.mtimeMs)}.tar.gz`)
  if (fs.existsSync(target)) return pathToFileURL(target)
  fs.mkdirSync(cacheDir, { recursive: true })
  const partial = `${target}.${process.pid}.partial`
  try {
    // Entries go from the parser straight into the new archive: nothing is unpacked to disk.
    const pack = new Pack({ gzip: { level: 1 }, portable: true, filter: inPostgisCore })
    const parser = new Parser({ onReadEntry: (entry: ReadEntry) => void pack.add(entry) })
    parser.on('end', () => pack.end())
    await Promise.all([
      pipeline(fs.createReadStream(full), parser),
      pipeline(pack, fs.createWriteStream(partial)),
    ])
    fs.renameSync(partial, target)
  } finally {
    fs.rmSync(partial, { force: true })
  }
  return pathToFileURL(target)
}
