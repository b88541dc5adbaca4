// The browser tests of languages and screens, offline and failures on the embedded database (the default installation).
import { runOn } from '../run-on.js'

await runOn('pglite', 'pages')
