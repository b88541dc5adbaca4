/**
 * `npm run dev`: the API (reloading on change, embedded database unless DATABASE_URL is set) on
 * PORT (default 3000) and Vite's dev server for the web app on 5173, which passes /api through.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createServer } from 'vite'
import { projectRoot } from '../api/config.js'

const apiPort = process.env.PORT ?? '3000'
const api = spawn(
  path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
  ['watch', 'api/server.ts'],
  {
    cwd: projectRoot,
    env: { ...process.env, PORT: apiPort },
    stdio: 'inherit',
  },
)
const vite = await createServer({
  configFile: path.join(projectRoot, 'vite.config.ts'),
  server: { port: 5173, proxy: { '/api': `http://localhost:${apiPort}` } },
})
await vite.listen()
vite.printUrls()

const stop = () => {
  api.kill('SIGTERM')
  void vite.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
api.on('exit', (code) => {
  if (code !== null && code !== 0) {
    console.error(`The API stopped (exit ${code}).`)
    void vite.close().then(() => process.exit(code))
  }
})
