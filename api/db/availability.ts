/**
 * Error codes meaning "the database cannot be reached right now", not "this request is wrong":
 * socket errors and the SQLSTATEs of a server that is shutting down, starting up or full (class
 * 08, connection exceptions, is matched by prefix).
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
])

/**
 * node-postgres reports a lost connection, a connect timeout and a full pool with messages
 * rather than codes (pg 8: "Connection terminated unexpectedly", "Connection terminated due to
 * connection timeout", "timeout exceeded when trying to connect", "Client has encountered a
 * connection error and is not queryable").
 */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/

/** Whether `err` (or an error it wraps) says the database is unreachable rather than wrong. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)))
    return true
  if (code === undefined && err instanceof Error && UNAVAILABLE_MESSAGES.test(err.message))
    return true
  // A read replica cancels a query whose rows replay is about to remove: a moment's conflict,
  // not a wrong request (SQLSTATE 40001 like a serialization failure, told apart by its text).
  if (code === '40001' && /conflict with recovery/i.test(String((err as Error).message)))
    return true
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true
  return isDatabaseUnavailable(cause, depth + 1)
}
