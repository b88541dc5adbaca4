import { pino } from 'pino'

/** Fields a log line carries besides its message: a request id, a status, a duration. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>

export interface Logger {
  info(message: string, fields?: LogFields): void
  error(message: string, error?: unknown, fields?: LogFields): void
}

export const silentLogger: Logger = { info: () => {}, error: () => {} }

/**
 * Structured logs: one JSON object per line on standard output (pino), with the time, the
 * level, the message and fields. Nothing a client sends can start a line of its own or pass for
 * another one: every value is a JSON string, with line breaks escaped. It logs messages, paths
 * and errors, never request bodies, query strings or credentials.
 */
export function jsonLogger(
  level: 'silent' | 'error' | 'info' | 'debug',
  /** Where lines go (default standard output); tests pass a stream of their own. */
  destination?: { write(line: string): void },
): Logger {
  const options = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  }
  const log = destination ? pino(options, destination) : pino(options)
  return {
    info: (message, fields) => log.info(fields ?? {}, message),
    error: (message, error, fields) =>
      log.error({ ...fields, ...(error === undefined ? {} : { err: error }) }, message),
  }
}
