import type { Command } from './command.js'
import { backup } from './commands/backup.js'
import { dataDownload } from './commands/data-download.js'
import { importAreasCommand } from './commands/import-areas.js'
import { importAssetsCommand } from './commands/import-assets.js'
import { importOsmCommand } from './commands/import-osm.js'
import { migrate } from './commands/migrate.js'
import { reportCommand } from './commands/report.js'
import { tokenAdd } from './commands/token-add.js'
import { userAdd } from './commands/user-add.js'

/** Every command the command line may run in the service, by name. */
export const COMMANDS: ReadonlyMap<string, Command<unknown>> = new Map(
  (
    [
      userAdd,
      tokenAdd,
      migrate,
      importAreasCommand,
      importAssetsCommand,
      importOsmCommand,
      dataDownload,
      reportCommand,
      backup,
    ] as Command<never>[]
  ).map((c) => [c.name, c as unknown as Command<unknown>]),
)
