/** Billing's only source of time (tests pass their own). */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('BILLING_CLOCK');

export const systemClock: Clock = { now: () => new Date() };
