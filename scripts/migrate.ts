import { migrate } from '../api/admin/commands/migrate.js'
import { execute } from './cli.js'

await execute(migrate, {})
