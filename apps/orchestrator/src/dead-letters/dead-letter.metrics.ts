import { Counter } from 'prom-client';
import type { DeadLetterView } from '@flowstack/contracts';
import { metricsRegistry } from '@flowstack/service-kit';

const SOURCES: ReadonlyArray<DeadLetterView['source']> = ['results', 'work', 'relay'];

/**
 * `flowstack_dead_letters_total{source}`: dead letters this process parked (a letter parked twice,
 * by the last delivery and by the advisory, counts once: only the replica whose insert won counts).
 * Every source starts at 0, so an alert on its increase needs no first letter to exist.
 */
export const deadLettersTotal = new Counter({
  name: 'flowstack_dead_letters_total',
  help: 'Messages parked as dead letters by this process, per source (results, work, relay)',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});
for (const source of SOURCES) deadLettersTotal.inc({ source }, 0);
