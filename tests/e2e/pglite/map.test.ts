// The browser tests of the map and its layers, and planning on the embedded database (the default installation).
import { runOn } from '../run-on.js'

await runOn('pglite', 'map')
