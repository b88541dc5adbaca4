import type { Command } from './command.js'
import { backup } from './commands/backup.js'
import { importAreasCommand } from './commands/import-areas.js'
import { migrate } from './commands/migrate.js'
import { reportCommand } from './commands/report.js'
import { userAdd } from './commands/user-add.js'

/** Every command the command line may run in the service, by name. */
export const COMMANDS: ReadonlyMap<string, Command<unknown>> = new Map(
  ([userAdd, migrate, importAreasCommand, reportCommand, backup] as Command<never>[]).map((c) => [
    c.name,
    c as unknown as Command<unknown>,
  ]),
)
