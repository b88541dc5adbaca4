import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * One owner per embedded database. PGlite is a whole PostgreSQL inside one process: two
 * processes that open the same data directory each keep their own buffers and write over each
 * other's pages (a row written by one was found by a sequential scan but not through an index,
 * and a UNIQUE constraint stopped holding). So whoever opens a data directory first takes an
 * exclusive lock file beside it, `<dataDir>.lock`, holding its pid; anyone else is refused with a
 * message that names the owner. A lock whose process is gone (a crash, `kill -9`, a reboot) is
 * stale and taken over.
 */

export interface LockOwner {
  readonly pid: number
  readonly hostname: string
  /** The owner's start time as the kernel counts it (Linux), to tell a reused pid apart. */
  readonly processStart: string | null
  readonly startedAt: string
  /** What holds it: "the Buurtkaart service", "npm run import:areas", … */
  readonly purpose: string
  /** The running service's local admin socket, through which commands can run (see api/admin). */
  readonly adminSocket?: string | undefined
  /** Where the service answers HTTP, for the message to a second process. */
  readonly url?: string | undefined
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by ${owner.purpose} (pid ${owner.pid}` +
        `${owner.hostname === os.hostname() ? '' : ` on ${owner.hostname}`}, since ${owner.startedAt}` +
        `${owner.url ? `, ${owner.url}` : ''}). One process at a time may open an embedded ` +
        `database: stop that one first (Ctrl+C in its terminal, or kill ${owner.pid}), or give ` +
        `this one another BUURTKAART_DATA_DIR.`,
    )
  }
}

export interface DataDirLock {
  readonly path: string
  /** Adds facts for other processes to read (the admin socket, the URL). */
  update(extra: Pick<LockOwner, 'adminSocket' | 'url'>): void
  release(): void
}

export const lockPathOf = (dataDir: string) => `${dataDir}.lock`

/** Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot (Linux). */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function alive(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true // cannot check another machine: assume so
  try {
    process.kill(owner.pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  // A pid reused by another process since a crash or a reboot has another start time.
  const start = processStart(owner.pid)
  return owner.processStart === null || start === null || start === owner.processStart
}

/** The owner recorded in a lock file; undefined when there is none (or it cannot be read). */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPathOf(dataDir), 'utf8')) as LockOwner
  } catch {
    return undefined
  }
}

/** The live owner of a data directory's lock, if any. */
export function liveOwner(dataDir: string): LockOwner | undefined {
  const owner = readLockOwner(dataDir)
  return owner && alive(owner) ? owner : undefined
}

/**
 * Takes the lock of `dataDir` for this process, or throws DataDirInUseError naming the owner.
 * This process holding it already counts as in use too: one PGlite per directory.
 */
export function lockDataDir(dataDir: string, purpose: string): DataDirLock {
  const file = lockPathOf(dataDir)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  let owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    processStart: processStart(process.pid),
    startedAt: new Date().toISOString(),
    purpose,
  }
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 })
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const current = readLockOwner(dataDir)
    if (current && alive(current)) throw new DataDirInUseError(dataDir, current)
    if (attempt >= 3) {
      // Unreadable three times in a row: not someone half-way through writing it.
      throw new Error(`Cannot take the lock ${file}: remove it if no Buurtkaart process runs.`)
    }
    if (current) {
      // Stale: move it aside under a unique name, so two processes that both found it stale
      // cannot remove each other's new lock; whoever then creates the file first owns it.
      const aside = `${file}.stale-${process.pid}-${attempt}`
      try {
        fs.renameSync(file, aside)
        fs.rmSync(aside, { force: true })
      } catch {
        // Someone else moved it first; try again.
      }
    } else {
      // Being written right now (or empty): give the writer a moment.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
    }
  }
  let released = false
  const onExit = () => release()
  function release() {
    if (released) return
    released = true
    process.off('exit', onExit)
    // Only remove a lock that is still ours.
    if (readLockOwner(dataDir)?.pid === process.pid) fs.rmSync(file, { force: true })
  }
  process.on('exit', onExit)
  return {
    path: file,
    update(extra) {
      owner = { ...owner, ...extra }
      const temp = `${file}.${process.pid}.tmp`
      fs.writeFileSync(temp, JSON.stringify(owner), { mode: 0o600 })
      fs.renameSync(temp, file)
    },
    release,
  }
}
