// The browser tests of places on PostgreSQL + PostGIS (vector tiles by ST_AsMVT).
import { runOn } from '../run-on.js'

await runOn('postgresql', 'places')
