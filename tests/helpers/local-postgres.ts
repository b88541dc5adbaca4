import { openDatabase, type DatabaseHandle } from '../../api/db/create-db.js'

/**
 * How long a test waits to connect to the run's own PostgreSQL server. The service's 3 s is for
 * telling an unreachable host quickly; on a CI machine whose two cores also type-check, lint and
 * build, a first connection to a database just made from a template once took more than 3 s.
 */
const LOCAL_CONNECT_TIMEOUT_S = 30

/** Opens a database on the run's own PostgreSQL server (templates, a test file's database). */
export function openLocalPostgres(url: string, maxConnections: number): Promise<DatabaseHandle> {
  return openDatabase({
    databaseUrl: url,
    maxConnections,
    connectTimeoutS: LOCAL_CONNECT_TIMEOUT_S,
  })
}
