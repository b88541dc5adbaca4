import type { RequestIdVariables } from 'hono/request-id'
import type { Settings } from '../services/settings.js'
import type { Principal } from './principal.js'

/** What every route may read from the context: who asks, the current settings, the request id. */
export type AppEnv = {
  Variables: { principal: Principal; settings: Settings } & RequestIdVariables
}
