import 'reflect-metadata';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { FlowstackError, markDraining, markStarted, markStarting } from '@flowstack/contracts';
import { installProcessGuards, type ProcessGuards } from './process-guards';
import { loadMetricsConfig } from './metrics.config';
import { startMetricsListener, type MetricsListener } from './metrics-listener';
import { instrumentProcess } from './metrics-registry';
import { loadShutdownConfig } from './shutdown.config';
import { startTracing, stopTracing } from './tracing';

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
 * exits 1.
 *
 * On SIGTERM or SIGINT (`handleShutdownSignals`): readiness fails at once, Nest's shutdown hooks
 * drain the RPC handlers and consumers and close connections and pools, the ops listener closes,
 * and the process exits 0; if that takes longer than `SHUTDOWN_TIMEOUT_MS` it exits 1 (what did
 * not finish is redelivered by JetStream). Not Nest's `enableShutdownHooks`: it re-raises the
 * signal after the hooks, so a clean stop ended "killed by SIGTERM" (exit status 143).
 *
 * Installs the process guards first (`installProcessGuards`): an uncaught exception or unhandled
 * rejection is logged with the service name; once the service is ready it survives it (exit 70
 * only on a burst, memory exhaustion or an error marked fatal), before that any such error exits.
 * Then opens the metrics listener, before anything connects, so a taken port fails at once; its
 * readiness answers 503 (`process: starting`) until the service is ready.
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
  // Not ready until started: the ops listener opens first, before the checks it reports exist.
  markStarting();
  try {
    guards = installProcessGuards({ serviceName, logger });
    const shutdown = loadShutdownConfig();
    metrics = await openMetrics(serviceName, logger, options);
    const tracing = startTracing(serviceName);
    const app = await create();
    handleShutdownSignals(serviceName, logger, app, metrics, shutdown.timeoutMs);
    const detail = [
      afterStart ? await afterStart(app) : undefined,
      metrics && `metrics on http://${metrics.host}:${metrics.port}/metrics`,
      tracing && `traces to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`,
    ]
      .filter(Boolean)
      .join(', ');
    guards.markReady();
    markStarted();
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
 * Stops the service on the first SIGTERM/SIGINT: marks it draining (readiness 503), closes the Nest
 * app (its shutdown hooks drain consumers, close pools and the NATS connection), then the ops
 * listener, and exits 0, or 1 after `SHUTDOWN_TIMEOUT_MS`. A second signal exits at once (130).
 */
function handleShutdownSignals(
  serviceName: string,
  logger: LoggerService,
  app: INestApplicationContext,
  metrics: MetricsListener | undefined,
  timeoutMs: number,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${serviceName}: ${signal} again, exiting now`);
      process.exit(130);
    }
    stopping = true;
    const started = Date.now();
    markDraining();
    logger.log(`${serviceName} stopping (${signal}): draining within ${timeoutMs} ms`);
    const force = setTimeout(() => {
      logger.error(`${serviceName} did not stop within SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); exiting`);
      process.exit(1);
    }, timeoutMs);
    force.unref();
    app
      .close()
      .then(() => metrics?.close())
      .then(() => stopTracing())
      .then(
        () => {
          logger.log(`${serviceName} stopped in ${Date.now() - started} ms`);
          process.exit(0);
        },
        (e: unknown) => {
          logger.error(`${serviceName} shutdown failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
