// The browser tests of languages and screens, offline and failures on PostgreSQL + PostGIS (vector tiles by ST_AsMVT).
import { runOn } from '../run-on.js'

await runOn('postgresql', 'pages')
