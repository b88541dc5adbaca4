/**
 * npm start: builds what changed since the last build (see scripts/build.mjs), then runs the built
 * server with plain Node. A tree without its build tools (npm ci --omit=dev) must be built
 * already; it then starts at once.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const server = path.join(root, 'dist', 'api', 'server.js')
// esbuild also comes with tsx (a runtime dependency); vite only with the dev dependencies.
const hasBuildTools = ['esbuild', 'vite'].every((p) =>
  fs.existsSync(path.join(root, 'node_modules', p)),
)

const { buildAll, staleParts } = await import('./build.mjs')
if (hasBuildTools) {
  const built = await buildAll({ ifChanged: true })
  if (built.length) console.error(`Built ${built.join(' and ')} (sources changed).`)
} else if (!fs.existsSync(server)) {
  console.error(
    'No build in dist/ and no build tools installed: run `npm ci && npm run build` first.',
  )
  process.exit(1)
} else {
  const stale = staleParts().map((p) => p.name)
  if (stale.length)
    console.error(
      `Warning: the sources of ${stale.join(' and ')} changed since the build, which runs as built.`,
    )
}
await import(pathToFileURL(server).href)
