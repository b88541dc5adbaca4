/** Where time comes from; tests pass a fixed clock. */
export interface Clock {
  now(): Date
}

/** The wall clock, for the running service and the command-line tools. */
export const systemClock: Clock = { now: () => new Date() }
