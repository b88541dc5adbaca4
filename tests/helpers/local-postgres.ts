/**
 * How long a test waits to connect to the run's own PostgreSQL server. The service's 3 s is for
 * telling an unreachable host quickly; on a CI machine whose two cores also type-check, lint and
 * build, a first connection to a database just made from a template once took more than 3 s.
 */
export const LOCAL_CONNECT_TIMEOUT_S = 30
