/**
 * npm run build: what `npm start` runs. The web app (Vite, into web/dist) and the server (each
 * api/**.ts transpiled by esbuild into dist/api, the same file layout, so the worker threads and
 * migrations load as they do from source). Types are checked by `npm run check`, not here.
 *
 * `--if-changed` builds a part only when one of its inputs is newer than its last build (the
 * times are kept in dist/build.json), as make would: `npm start` calls it so that a warm start
 * costs a walk over the source tree, not a build.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const STAMP = path.join(root, 'dist', 'build.json')

/** Every file under `dir` (relative to the root) whose name passes `keep`. */
function filesUnder(dir, keep = () => true) {
  const out = []
  const walk = (d) => {
    if (!fs.existsSync(d)) return
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (keep(entry.name)) out.push(full)
    }
  }
  walk(path.join(root, dir))
  return out
}

const PARTS = {
  server: {
    inputs: () => [...filesUnder('api'), path.join(root, 'package-lock.json')],
    output: path.join(root, 'dist', 'api', 'server.js'),
    build: buildServer,
  },
  web: {
    inputs: () => [
      ...filesUnder('web/src'),
      ...filesUnder('web/public'),
      path.join(root, 'web', 'index.html'),
      path.join(root, 'vite.config.ts'),
      path.join(root, 'package-lock.json'),
    ],
    output: path.join(root, 'web', 'dist', 'index.html'),
    build: buildWeb,
  },
}

const newest = (files) =>
  files.reduce((max, f) => Math.max(max, fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0), 0)

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(STAMP, 'utf8'))
  } catch {
    return {}
  }
}

async function buildServer() {
  // A build tool, so a dev dependency: a tree installed with --omit=dev runs what was built.
  const esbuild = await import('esbuild')
  fs.rmSync(path.join(root, 'dist', 'api'), { recursive: true, force: true })
  await esbuild.build({
    entryPoints: filesUnder('api', (n) => n.endsWith('.ts') && !n.endsWith('.d.ts')),
    outdir: path.join(root, 'dist', 'api'),
    outbase: path.join(root, 'api'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  })
  // Files the server reads as they are (the report's stylesheet and script).
  for (const file of filesUnder('api', (n) => !n.endsWith('.ts') && !n.endsWith('.mjs'))) {
    const target = path.join(root, 'dist', 'api', path.relative(path.join(root, 'api'), file))
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.copyFileSync(file, target)
  }
}

async function buildWeb() {
  const { build } = await import('vite')
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' })
}

/** The parts whose output is missing or older than one of their inputs. */
export function staleParts() {
  const stamp = readStamp()
  return Object.entries(PARTS)
    .map(([name, part]) => ({ name, part, inputsAt: newest(part.inputs()) }))
    .filter(({ name, part, inputsAt }) => !fs.existsSync(part.output) || !(stamp[name] >= inputsAt))
}

/** Builds the parts whose inputs changed (all of them unless `ifChanged`); returns their names. */
export async function buildAll({ ifChanged = false } = {}) {
  const stamp = readStamp()
  const built = []
  const stale = new Set(staleParts().map((p) => p.name))
  for (const [name, part] of Object.entries(PARTS)) {
    const inputsAt = newest(part.inputs())
    if (ifChanged && !stale.has(name)) continue
    await part.build()
    stamp[name] = inputsAt
    built.push(name)
  }
  if (built.length) {
    fs.mkdirSync(path.dirname(STAMP), { recursive: true })
    fs.writeFileSync(STAMP, JSON.stringify(stamp, null, 2) + '\n')
  }
  return built
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildAll({ ifChanged: process.argv.includes('--if-changed') })
  console.error(built.length ? `Built: ${built.join(', ')}` : 'Up to date.')
}
