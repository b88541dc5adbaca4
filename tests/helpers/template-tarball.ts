/**
 * The tarball of a PGlite template data directory, beside it: the global set-up writes it once
 * per run, openTestDatabase starts each test database in memory from it.
 */
export const templateTarball = (dir: string): string => `${dir}.tar`
