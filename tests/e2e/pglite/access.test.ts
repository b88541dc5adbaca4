// The map for everyone (WCAG 2.1 AA, keyboard, phone) on the embedded database.
import { runOn } from '../run-on.js'

await runOn('pglite', 'access')
