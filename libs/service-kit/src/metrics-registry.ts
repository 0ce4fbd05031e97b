import { collectDefaultMetrics, register, type Registry } from 'prom-client';

/** Prefix of every metric of the platform, Node's default ones included. */
export const METRIC_PREFIX = 'flowstack_';

/**
 * The process's one metrics registry: prom-client's default `register`. It is the default on
 * purpose: a lib that may not depend on service-kit (libs/messaging) defines its counters there
 * too, so one scrape shows every metric of the process. Counters are created at import and cost
 * one increment where they count; nothing is computed until a scrape.
 */
export const metricsRegistry: Registry = register;

let instrumentedAs: string | undefined;

/**
 * Makes the registry worth scraping: labels every series with `service` and adds Node's default
 * metrics (CPU, memory, event-loop lag, GC, handles) with `METRIC_PREFIX`. Called once the process
 * serves `/metrics` (a service whose metrics are off pays nothing for the collectors). Idempotent:
 * later calls return the registry unchanged, whatever name they pass.
 */
export function instrumentProcess(serviceName: string): Registry {
  if (instrumentedAs === undefined) {
    metricsRegistry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: metricsRegistry, prefix: METRIC_PREFIX });
    instrumentedAs = serviceName;
  }
  return metricsRegistry;
}
