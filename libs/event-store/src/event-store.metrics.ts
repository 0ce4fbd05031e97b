import { Histogram, register } from 'prom-client';

/**
 * `flowstack_event_store_append_seconds{outcome}`: the append statement's time in Postgres (from
 * sending it to its answer; publishing after commit not included), `outcome` `ok` or `conflict`
 * (the expected position was taken: a `StreamVersionConflict`). On prom-client's default registry,
 * which service-kit serves (this lib may not depend on service-kit).
 */
export const appendSeconds = new Histogram({
  name: 'flowstack_event_store_append_seconds',
  help: 'Time of one event-store append statement in Postgres, by outcome (ok, conflict)',
  labelNames: ['outcome'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [register],
});
