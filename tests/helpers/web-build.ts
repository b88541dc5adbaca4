/**
 * The web app built for the browser tests into `.cache/web-<key of its sources>`: the global
 * set-up builds it once per run (later runs reuse it until a source changes), so the browser test
 * files that start together do not each run Vite.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../../api/config.js'

/** What the built web app is made of: its sources, the build's configuration, the dependencies. */
const WEB_SOURCES = ['web', 'vite.config.ts', 'tsconfig.json', 'package-lock.json']

function sourceKey(): string {
  const hash = createHash('sha256')
  const add = (relative: string) => {
    const full = path.join(projectRoot, relative)
    const stat = fs.statSync(full, { throwIfNoEntry: false })
    if (!stat) return
    if (stat.isDirectory()) {
      if (relative === path.join('web', 'dist')) return
      for (const name of fs.readdirSync(full).sort()) add(path.join(relative, name))
      return
    }
    hash.update(relative).update('\0').update(fs.readFileSync(full)).update('\0')
  }
  for (const source of WEB_SOURCES) add(source)
  return hash.digest('hex').slice(0, 12)
}

/** Builds the web app unless this version of its sources is built; resolves with its folder. */
export async function buildWebApp(): Promise<string> {
  const cache = path.join(projectRoot, '.cache')
  const dir = path.join(cache, `web-${sourceKey()}`)
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir
  const building = `${dir}.building-${process.pid}`
  // Vite is imported only to build.
  const { build } = await import('vite')
  await build({
    configFile: path.join(projectRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: building, emptyOutDir: true },
  })
  try {
    fs.renameSync(building, dir)
  } catch {
    // Another run was first: its build is of the same sources.
    fs.rmSync(building, { recursive: true, force: true })
  }
  // Builds of earlier sources (an hour old, so no run still serves them) go.
  for (const name of fs.readdirSync(cache)) {
    const old = path.join(cache, name)
    if (!name.startsWith('web-') || old === dir) continue
    if (Date.now() - fs.statSync(old).mtimeMs > 3_600_000) {
      fs.rmSync(old, { recursive: true, force: true })
    }
  }
  return dir
}
