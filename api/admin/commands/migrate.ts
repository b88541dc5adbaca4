import { z } from 'zod'
import { currentMigration, migrateToLatest } from '../../db/create-db.js'
import { defineCommand } from '../command.js'

/** Applies pending migrations (the service also does at every start). */
export const migrate = defineCommand({
  name: 'migrate',
  args: z.strictObject({}),
  async run({ handle, io }) {
    const applied = await migrateToLatest(handle.db)
    io.out(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.')
    io.out(`Database (${handle.backend}) is at migration ${await currentMigration(handle.db)}`)
    return 0
  },
})
