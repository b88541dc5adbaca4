// The browser tests of the map and its layers, and planning on PostgreSQL + PostGIS (vector tiles by ST_AsMVT).
import { runOn } from '../run-on.js'

await runOn('postgresql', 'map')
