// Worker bootstrap: worker threads do not inherit tsx's loader, so register it, then load the
// TypeScript worker.
import { register } from 'tsx/esm/api'

register()
const { default: run } = await import('./worker.ts')
export default run
