/**
 * The hello-world baseline of the load benchmarks (scripts/bench-load.ts): Hono's smallest app on
 * @hono/node-server, returning text. Run as its own process, like the service: PORT=… tsx
 * scripts/bench-hello.ts.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/', (c) => c.text('Hello Hono!'))
const server = serve({
  fetch: app.fetch,
  port: Number(process.env.PORT ?? 3001),
  hostname: '127.0.0.1',
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
