// The browser tests of accounts, moderation and history on PostgreSQL + PostGIS (vector tiles by ST_AsMVT).
import { runOn } from '../run-on.js'

await runOn('postgresql', 'accounts')
