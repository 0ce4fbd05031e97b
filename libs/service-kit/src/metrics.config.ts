import { FlowstackError } from '@flowstack/contracts';

/** Where a service without an HTTP server of its own serves `GET /metrics`. */
export interface MetricsConfig {
  /** `METRICS_PORT`; `0` (the default) turns the listener off. */
  port: number;
  /** `METRICS_HOST`, default `127.0.0.1`: metrics stay on the machine unless a deployment opens them. */
  host: string;
}

/**
 * Reads `METRICS_PORT` and `METRICS_HOST`. Off unless a port is set: replicas of a service and the
 * services of `npm start` share one machine and one environment, so no default port could suit
 * them all. Throws a one-line `FlowstackError` naming the variable when the port is malformed.
 */
export function loadMetricsConfig(env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  const raw = env.METRICS_PORT?.trim() ?? '';
  const port = raw === '' ? 0 : Number(raw);
  // Decimal digits only: `Number` would also take `0x10` or `1e3`.
  if ((raw !== '' && !/^\d+$/.test(raw)) || port > 65_535) {
    throw new FlowstackError('validation_failed', `METRICS_PORT must be a port number (1-65535, or 0 for off), got "${raw}"`);
  }
  return { port, host: env.METRICS_HOST?.trim() || '127.0.0.1' };
}
