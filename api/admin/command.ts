import type { z } from 'zod'
import type { Config } from '../config.js'
import type { DatabaseHandle } from '../db/create-db.js'
import { DomainError } from '../domain/errors.js'
import type { Clock } from '../domain/clock.js'

/**
 * Administration commands (`npm run user:add`, `import:areas`, `report`, …). A command runs in
 * the process that owns the database: in the command-line process itself when it can open the
 * database, or — when the service already runs on the embedded database, which one process at a
 * time may open — inside the service, sent over its local admin socket (./socket.ts). Either way
 * the same `run` does the work on the same kind of handle, so the two paths cannot drift apart.
 */

/** Where a command writes: lines for standard output and error, and progress. */
export interface CommandIo {
  out(line: string): void
  err(line: string): void
  progress(label: string, done: number, total: number): void
}

export interface CommandContext {
  readonly handle: DatabaseHandle
  readonly config: Config
  readonly clock: Clock
  readonly io: CommandIo
}

export interface Command<A> {
  readonly name: string
  /** Arguments as JSON (file paths absolute): what the command line sends over the socket. */
  readonly args: z.ZodType<A>
  /** Only where the database is not in use by a running service (a restore replaces it). */
  readonly needsExclusiveDatabase?: boolean
  /** Does the work; resolves to the process exit code. */
  run(ctx: CommandContext, args: A): Promise<number>
}

export function defineCommand<A>(command: Command<A>): Command<A> {
  return command
}

/**
 * Runs a command with arguments as received (validated here, again, whoever sent them). A
 * DomainError (a bad file, a refused value) is printed in plain English with exit code 1;
 * anything else is a bug and is thrown.
 */
export async function runCommand(
  command: Command<unknown>,
  ctx: CommandContext,
  input: unknown,
): Promise<number> {
  const parsed = command.args.safeParse(input)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.io.err(`${issue.path.join('.') || 'arguments'}: ${issue.message}`)
    }
    return 2
  }
  try {
    return await command.run(ctx, parsed.data)
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    printProblem(ctx.io, e)
    return 1
  }
}

/** A refused request in English, with its fields and (for imports) the first rows at fault. */
export function printProblem(io: CommandIo, e: DomainError): void {
  io.err(e.detail.en)
  for (const f of e.fields) io.err(`  ${f.pointer}: ${f.message.en}`)
  const rows =
    (
      e.extra as {
        rows?: {
          row: number
          source_ref: string | null
          errors: { pointer: string; message: { en: string } }[]
        }[]
      }
    ).rows ?? []
  for (const r of rows.slice(0, 50)) {
    for (const err of r.errors)
      io.err(`  row ${r.row} (${r.source_ref ?? '?'}) ${err.pointer}: ${err.message.en}`)
  }
}
