import { loadConfig, ConfigError, type Config } from '../api/config.js'
import { DomainError } from '../api/domain/errors.js'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../api/db/create-db.js'

/** Opens the configured database (migrated) for a command-line script. */
export async function openForScript(): Promise<{ config: Config; handle: DatabaseHandle }> {
  let config: Config
  try {
    config = loadConfig()
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message)
    throw e
  }
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: 2,
  })
  await migrateToLatest(handle.db)
  return { config, handle }
}

/**
 * Runs a script's work and closes the database: a DomainError (bad file, failed download) is
 * printed in plain English with exit code 1; anything else is a bug and is thrown.
 */
export async function runScript(close: () => Promise<void>, work: () => Promise<void>) {
  try {
    await work()
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    console.error(e.detail.en)
    for (const f of e.fields) console.error(`  ${f.pointer}: ${f.message.en}`)
    process.exitCode = 1
  } finally {
    await close()
  }
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
