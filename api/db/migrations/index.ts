import type { Migration } from 'kysely/migration'
import * as m20261121T1200 from './2026-11-21T1200_initial.js'
import * as m20261121T1400 from './2026-11-21T1400_population.js'
import * as m20261122T0900 from './2026-11-22T0900_network.js'
import * as m20261123T0900 from './2026-11-23T0900_accounts.js'
import * as m20261123T1200 from './2026-11-23T1200_scenarios.js'
import * as m20261124T0900 from './2026-11-24T0900_append_only_truncate.js'
import * as m20261124T0930 from './2026-11-24T0930_token_expiry.js'
import * as m20261206T1000 from './2026-12-06T1000_population_model.js'

/** Every migration, by name (sorted by time). Add new ones at the end; never edit old ones. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T1200_initial': m20261121T1200,
  '2026-11-21T1400_population': m20261121T1400,
  '2026-11-22T0900_network': m20261122T0900,
  '2026-11-23T0900_accounts': m20261123T0900,
  '2026-11-23T1200_scenarios': m20261123T1200,
  '2026-11-24T0900_append_only_truncate': m20261124T0900,
  '2026-11-24T0930_token_expiry': m20261124T0930,
  '2026-12-06T1000_population_model': m20261206T1000,
}
