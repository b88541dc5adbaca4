// The web app in Chromium on PostgreSQL + PostGIS (vector tiles by ST_AsMVT); see map.suite.ts.
import { it } from 'vitest'
import { hasPostgres, testOnlyOn } from '../helpers/backends.js'

if (hasPostgres()) {
  testOnlyOn('postgresql')
  await import('./map.suite.js')
} else {
  // Only outside CI: there the global set-up refuses to run without TEST_DATABASE_URL.
  it.skip('needs a PostgreSQL server: set TEST_DATABASE_URL', () => {})
}
