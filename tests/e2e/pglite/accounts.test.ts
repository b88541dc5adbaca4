// The browser tests of accounts, moderation and history on the embedded database (the default installation).
import { runOn } from '../run-on.js'

await runOn('pglite', 'accounts')
