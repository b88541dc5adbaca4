import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import type { App } from './app.js'

/**
 * Serves the app over HTTP as @hono/node-server's `serve` does, with one step in front: a
 * request the app can answer from memory without running (a remembered versioned tile, see
 * `App.answerEarly`) is answered by Node directly. Everything else goes to Hono.
 */
export function listen(
  app: App,
  options: { port: number; hostname?: string | undefined },
  onListening?: (address: AddressInfo) => void,
): Server {
  const toHono = getRequestListener(app.fetch, { hostname: options.hostname })
  const server = createServer((incoming, outgoing) => {
    if (!app.answerEarly(incoming, outgoing)) void toHono(incoming, outgoing)
  })
  server.listen(options.port, options.hostname, () => {
    onListening?.(server.address() as AddressInfo)
  })
  return server
}
