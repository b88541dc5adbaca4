import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import type { App } from './app.js'

/**
 * Serves the app over HTTP as @hono/node-server's `serve` does: every request goes through the
 * app, with its security headers, access rules and access log.
 */
export function listen(
  app: App,
  options: { port: number; hostname?: string | undefined },
  onListening?: (address: AddressInfo) => void,
): Server {
  const toHono = getRequestListener(app.fetch, { hostname: options.hostname })
  const server = createServer((incoming, outgoing) => void toHono(incoming, outgoing))
  server.listen(options.port, options.hostname, () => {
    onListening?.(server.address() as AddressInfo)
  })
  return server
}
