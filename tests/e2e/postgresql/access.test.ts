// The map for everyone (WCAG 2.1 AA, keyboard, phone) on PostgreSQL + PostGIS.
import { runOn } from '../run-on.js'

await runOn('postgresql', 'access')
