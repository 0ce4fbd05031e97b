import 'reflect-metadata';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { FlowstackError } from '@flowstack/contracts';
import { installProcessGuards, type ProcessGuards } from './process-guards';
import { loadMetricsConfig } from './metrics.config';
import { startMetricsListener, type MetricsListener } from './metrics-listener';
import { instrumentProcess } from './metrics-registry';

/** How `runService` serves the process's metrics. */
export interface RunServiceOptions {
  /**
   * `listener` (default): on `METRICS_PORT`/`METRICS_HOST` of its own when `METRICS_PORT` is set.
   * `app`: the service's HTTP server serves `/metrics` itself (the gateway); no second port.
   */
  metrics?: 'listener' | 'app';
}

/**
 * Starts a service and keeps start-up failures human: a `FlowstackError('unavailable')` (Postgres
 * or NATS down, `METRICS_PORT` in use) prints one line saying what to do, not a stack trace, and
 * exits 1. On SIGTERM or SIGINT Nest's shutdown hooks drain consumers and close connections before
 * exit, and the metrics listener is closed.
 *
 * Installs the process guards first (`installProcessGuards`): an uncaught exception or unhandled
 * rejection is logged with the service name; once the service is ready it survives it (exit 70
 * only on a burst, memory exhaustion or an error marked fatal), before that any such error exits.
 * Then opens the metrics listener, before anything connects, so a taken port fails at once.
 */
export async function runService(
  serviceName: string,
  logger: LoggerService,
  create: () => Promise<INestApplicationContext>,
  afterStart?: (app: INestApplicationContext) => string | void | Promise<string | void>,
  options: RunServiceOptions = {},
): Promise<INestApplicationContext | undefined> {
  let guards: ProcessGuards | undefined;
  let metrics: MetricsListener | undefined;
  try {
    guards = installProcessGuards({ serviceName, logger });
    metrics = await openMetrics(serviceName, logger, options);
    const app = await create();
    app.enableShutdownHooks();
    if (metrics) closeOnShutdownSignal(metrics);
    const detail = [
      afterStart ? await afterStart(app) : undefined,
      metrics && `metrics on http://${metrics.host}:${metrics.port}/metrics`,
    ]
      .filter(Boolean)
      .join(', ');
    guards.markReady();
    logger.log(`${serviceName} ready${detail ? ` (${detail})` : ''}`);
    return app;
  } catch (e) {
    const message = e instanceof FlowstackError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    logger.error(`${serviceName} failed to start: ${message}`);
    process.exitCode = 1;
    void metrics?.close();
    // Give the logger a tick to flush, then leave even if a connection keeps the loop alive.
    setTimeout(() => process.exit(1), 50).unref();
    return undefined;
  }
}

async function openMetrics(
  serviceName: string,
  logger: LoggerService,
  options: RunServiceOptions,
): Promise<MetricsListener | undefined> {
  if (options.metrics === 'app') {
    instrumentProcess(serviceName);
    return undefined;
  }
  const config = loadMetricsConfig();
  if (config.port === 0) return undefined;
  instrumentProcess(serviceName);
  return startMetricsListener({ ...config, onError: (message) => void logger.error(message) });
}

/**
 * Closes the listener when a shutdown signal arrives, while Nest's hooks drain the rest. `once`,
 * so the listener is gone by the time Nest re-raises the signal to exit (a listener left on it
 * would keep the process alive).
 */
function closeOnShutdownSignal(metrics: MetricsListener): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void metrics.close());
}
