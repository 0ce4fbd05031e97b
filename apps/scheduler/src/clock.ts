/**
 * The scheduler's only source of time. Production uses the wall clock; tests provide a faster one
 * so a day of schedules fires in seconds, without sleeps and without per-schedule timers.
 */
export interface Clock {
  now(): Date;
  /** Real milliseconds to wait for `clockMs` of this clock's time to pass (at least 0). */
  realDelay(clockMs: number): number;
}

/** Injection token of the `Clock`. */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = {
  now: () => new Date(),
  realDelay: (clockMs) => Math.max(0, clockMs),
};

/**
 * A clock that runs `speed` times faster than real time from `start` (for tests): every replica
 * given the same instance agrees on the time.
 */
export function scaledClock(start: Date, speed: number): Clock {
  const realStart = Date.now();
  return {
    now: () => new Date(start.getTime() + (Date.now() - realStart) * speed),
    realDelay: (clockMs) => Math.max(0, clockMs / speed),
  };
}

/**
 * The clock of a process: the system clock, unless `SCHEDULER_TEST_CLOCK=<real epoch ms>:<clock
 * epoch ms>:<speed>` (tests only) makes it run `speed` times faster, from `<clock epoch ms>` at
 * the real instant `<real epoch ms>`, so several processes share one compressed time line.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const raw = env.SCHEDULER_TEST_CLOCK;
  if (!raw) return systemClock;
  const [realStart, start, speed] = raw.split(':').map(Number);
  if (![realStart, start, speed].every(Number.isFinite) || speed <= 0) {
    throw new Error(`SCHEDULER_TEST_CLOCK must be <real epoch ms>:<clock epoch ms>:<speed>, got "${raw}"`);
  }
  return {
    now: () => new Date(start + (Date.now() - realStart) * speed),
    realDelay: (clockMs) => Math.max(0, clockMs / speed),
  };
}
