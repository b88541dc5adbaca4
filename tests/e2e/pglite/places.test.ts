// The browser tests of places on the embedded database (the default installation).
import { runOn } from '../run-on.js'

await runOn('pglite', 'places')
