import { ConfigError } from "../errors.ts";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The embedded stack can run shifted in time: `startStack({ clockStart })`
 * (the tests; a stack process inherits the variable) sets this offset for
 * every function in the process, so all of them agree on "now", tests do not depend on
 * today's date, and timeouts and retries still take real time.
 */
export const CLOCK_OFFSET_ENV = "CVPIPE_CLOCK_OFFSET_MS";

/**
 * The CLOCK_OFFSET_ENV value that makes "now" be `start` at this instant of the wall clock (the
 * system's, which is what the offset shifts).
 */
export const clockOffsetTo = (start: Date, wall: Clock = systemClock): number => start.getTime() - wall.now().getTime();

/** The clock a function runs on: the system clock, shifted by `CVPIPE_CLOCK_OFFSET_MS` when set. */
export const clockFromEnv = (env: NodeJS.ProcessEnv): Clock => {
  const raw = env[CLOCK_OFFSET_ENV];
  if (!raw) return systemClock;
  const offset = Number(raw);
  if (!Number.isSafeInteger(offset)) {
    throw new ConfigError(`${CLOCK_OFFSET_ENV} must be a whole number of milliseconds, got "${raw}"`);
  }
  return { now: () => new Date(Date.now() + offset) };
};
