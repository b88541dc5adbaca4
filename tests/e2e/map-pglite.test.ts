// The web app in Chromium on the embedded database (the default installation); see map.suite.ts.
import { testOnlyOn } from '../helpers/backends.js'

testOnlyOn('pglite')
await import('./map.suite.js')
