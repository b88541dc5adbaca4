import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { runCommand, type CommandContext, type CommandIo } from './command.js'
import { COMMANDS } from './commands.js'

/**
 * The running service's local admin socket: a Unix domain socket beside the embedded database,
 * readable and writable by the service's own user only (mode 0600). The command-line tools send
 * a command here when the service holds the database (PGlite allows one process), and the service
 * runs it on its own handle — `npm run user:add` while `npm start` runs makes an account that can
 * sign in at once. Nothing on the network reaches it; whoever can open it can read the database
 * files anyway.
 *
 * Protocol: `POST /commands/<name>` with the command's JSON arguments; the answer is a stream of
 * JSON lines — `{"out": text}`, `{"err": text}`, `{"progress": [label, done, total]}` — ending
 * with `{"exit": code}`.
 */

/** Longest path a Unix socket may have (sun_path, 108 bytes on Linux, less the terminator). */
const MAX_SOCKET_PATH = 107
const MAX_ARGS_BYTES = 1024 * 1024

/** The admin socket of a data directory: beside it, or in the temp directory when too long. */
export function adminSocketPath(dataDir: string): string {
  const beside = `${dataDir}.sock`
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) return beside
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16)
  return path.join(os.tmpdir(), `buurtkaart-${key}.sock`)
}

type Line =
  { out: string } | { err: string } | { progress: [string, number, number] } | { exit: number }

export interface AdminSocket {
  readonly path: string
  close(): Promise<void>
}

/** Opens the admin socket of a running service. */
export async function serveAdminSocket(
  socketPath: string,
  ctx: Omit<CommandContext, 'io'>,
  log: { info(message: string): void; error(message: string, e?: unknown): void },
): Promise<AdminSocket> {
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error('admin command failed', e)
      if (!res.headersSent) res.writeHead(500)
      res.end(
        `${JSON.stringify({ err: 'The command failed inside the service; see its log.' })}\n${JSON.stringify({ exit: 70 })}\n`,
      )
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const name = /^\/commands\/([a-z:-]+)$/.exec(req.url ?? '')?.[1]
    const command = name ? COMMANDS.get(name) : undefined
    if (req.method !== 'POST' || !command) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No such command.\n')
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_ARGS_BYTES) {
        res.writeHead(413).end()
        return
      }
      chunks.push(chunk)
    }
    let args: unknown
    try {
      args = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Arguments are not JSON.\n')
      return
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    const send = (line: Line) => res.write(`${JSON.stringify(line)}\n`)
    if (command.needsExclusiveDatabase) {
      send({ err: `npm run ${command.name} cannot run while the service runs: stop it first.` })
      send({ exit: 1 })
      res.end()
      return
    }
    const io: CommandIo = {
      out: (text) => send({ out: text }),
      err: (text) => send({ err: text }),
      progress: (label, done, total) => send({ progress: [label, done, total] }),
    }
    // Never the arguments: they may hold a password.
    log.info(`Admin socket: running ${command.name} for the command line`)
    const code = await runCommand(command, { ...ctx, io }, args)
    send({ exit: code })
    res.end()
  }

  // A socket file left by a crash: the lock says this process owns the directory now.
  fs.rmSync(socketPath, { force: true })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
  fs.chmodSync(socketPath, 0o600)
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        // A command still running (an import) finishes first; idle connections go now.
        server.close(() => resolve())
        server.closeIdleConnections()
        fs.rmSync(socketPath, { force: true })
      }),
  }
}

/**
 * Sends a command to a running service's admin socket and relays its output to `io`; resolves
 * to the command's exit code.
 */
export function sendCommand(
  socketPath: string,
  name: string,
  args: unknown,
  io: CommandIo,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: `/commands/${name}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`The service refused the command (HTTP ${res.statusCode}).`))
          res.resume()
          return
        }
        let buffered = ''
        let exit: number | undefined
        const take = (text: string) => {
          const line = JSON.parse(text) as Line
          if ('out' in line) io.out(line.out)
          else if ('err' in line) io.err(line.err)
          else if ('progress' in line) io.progress(...line.progress)
          else exit = line.exit
        }
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          buffered += chunk
          let nl
          while ((nl = buffered.indexOf('\n')) >= 0) {
            take(buffered.slice(0, nl))
            buffered = buffered.slice(nl + 1)
          }
        })
        res.on('end', () =>
          exit === undefined
            ? reject(new Error('The service stopped before the command finished.'))
            : resolve(exit),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify(args))
  })
}
