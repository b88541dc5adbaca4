import { loadConfig } from '../api/config.js'
import { currentMigration, migrateToLatest, openDatabase } from '../api/db/create-db.js'

const config = loadConfig()
const handle = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  maxConnections: 1,
})
try {
  const applied = await migrateToLatest(handle.db)
  console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.')
  console.log(`Database (${handle.backend}) is at migration ${await currentMigration(handle.db)}`)
} finally {
  await handle.close()
}
