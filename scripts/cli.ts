import { loadConfig, ConfigError, type Config } from '../api/config.js'
import { runCommand, type Command, type CommandIo } from '../api/admin/command.js'
import { sendCommand } from '../api/admin/socket.js'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../api/db/create-db.js'
import { DataDirInUseError, liveOwner, type LockOwner } from '../api/db/lock.js'
import { systemClock } from '../api/domain/clock.js'

export function loadConfigOrFail(): Config {
  try {
    return loadConfig()
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message)
    throw e
  }
}

/** Output of a command on this terminal: lines to stdout/stderr, progress bars on stderr. */
function terminalIo(): CommandIo {
  const bars = new Map<string, (done: number, total: number) => void>()
  return {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    progress: (label, done, total) => {
      let bar = bars.get(label)
      if (!bar) bars.set(label, (bar = progressBar(label)))
      bar(done, total)
    },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The running service that holds the embedded database, once its admin socket is open (it opens
 * a few seconds after the database: up to a minute on a first start).
 */
async function serviceSocket(dataDir: string, owner: LockOwner): Promise<string | undefined> {
  let current: LockOwner | undefined = owner
  for (let waited = 0; current && !current.adminSocket && waited < 60_000; waited += 500) {
    if (waited === 0 && /service/.test(current.purpose))
      console.error('The service is still starting; waiting for it…')
    if (!/service/.test(current.purpose)) return undefined
    await sleep(500)
    current = liveOwner(dataDir)
  }
  return current?.adminSocket
}

/**
 * Runs an administration command where the database is: here, when this process can open it
 * (PostgreSQL, or an embedded database nobody has open), or inside the running service through
 * its admin socket when the service holds the embedded database. Exits with the command's code.
 */
export async function execute<A>(command: Command<A>, args: A): Promise<never> {
  const config = loadConfigOrFail()
  const io = terminalIo()
  const viaService = async (owner: LockOwner): Promise<never> => {
    const socket = command.needsExclusiveDatabase
      ? undefined
      : await serviceSocket(config.dataDir, owner)
    if (!socket) fail(new DataDirInUseError(config.dataDir, owner).message)
    console.error(`The service (pid ${owner.pid}) has the database open: running it there.`)
    try {
      process.exit(await sendCommand(socket, command.name, args, io))
    } catch (e) {
      fail(`${(e as Error).message} Nothing was sent, or see the service's log.`)
    }
  }
  if (!config.databaseUrl) {
    const owner = liveOwner(config.dataDir)
    if (owner) return viaService(owner)
  }
  let handle: DatabaseHandle
  try {
    handle = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      maxConnections: 2,
      purpose: `npm run ${command.name}`,
    })
  } catch (e) {
    if (e instanceof DataDirInUseError) return viaService(e.owner)
    throw e
  }
  let code: number
  try {
    await migrateToLatest(handle.db)
    code = await runCommand(command, { handle, config, clock: systemClock, io }, args)
  } finally {
    await handle.close()
  }
  process.exit(code)
}

export function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** A progress bar on a terminal, a line per 10 % otherwise (CI logs). */
export function progressBar(label: string): (done: number, total: number) => void {
  let lastDecile = -1
  return (done, total) => {
    const fraction = total === 0 ? 1 : done / total
    if (process.stderr.isTTY) {
      const width = 30
      const filled = Math.round(fraction * width)
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
      )
      if (done === total) process.stderr.write('\n')
    } else {
      const decile = Math.floor(fraction * 10)
      if (decile !== lastDecile) {
        lastDecile = decile
        process.stderr.write(`${label}: ${done}/${total} (${decile * 10}%)\n`)
      }
    }
  }
}
