import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { backupPostgres } from '../../db/backup.js'
import { redactUrl } from '../../db/create-db.js'
import { defineCommand } from '../command.js'

/**
 * Backs up the whole database. PostgreSQL: pg_dump's custom format. Embedded PGlite: the data
 * directory as a gzipped tarball, dumped by the process that has it open (the service itself
 * when it runs), so a backup never needs the service stopped.
 */
export const backup = defineCommand({
  name: 'backup',
  args: z.strictObject({ out: z.string().min(1) }),
  async run({ handle, config, io }, args) {
    fs.mkdirSync(path.dirname(args.out), { recursive: true })
    if (config.databaseUrl) {
      try {
        await backupPostgres(config.databaseUrl, args.out)
      } catch (e) {
        io.err(
          `Backup failed: ${(e as Error).message.replaceAll(config.databaseUrl, redactUrl(config.databaseUrl))}`,
        )
        return 1
      }
    } else if (handle.dumpDataDir) {
      const dump = await handle.dumpDataDir()
      fs.writeFileSync(args.out, Buffer.from(await dump.arrayBuffer()))
    }
    io.out(
      `Backed up ${config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir} to ${args.out} (${fs.statSync(args.out).size} bytes).`,
    )
    return 0
  },
})
