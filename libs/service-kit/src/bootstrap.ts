import 'reflect-metadata';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { FlowstackError } from '@flowstack/contracts';
import { installProcessGuards, type ProcessGuards } from './process-guards';

/**
 * Starts a service and keeps start-up failures human: a `FlowstackError('unavailable')` (Postgres
 * or NATS down) prints one line saying what to start, not a stack trace, and exits 1. On SIGTERM or
 * SIGINT Nest's shutdown hooks drain consumers and close connections before exit.
 *
 * Installs the process guards first (`installProcessGuards`): an uncaught exception or unhandled
 * rejection is logged with the service name; once the service is ready it survives it (exit 70
 * only on a burst, memory exhaustion or an error marked fatal), before that any such error exits.
 */
export async function runService(
  serviceName: string,
  logger: LoggerService,
  create: () => Promise<INestApplicationContext>,
  afterStart?: (app: INestApplicationContext) => string | void | Promise<string | void>,
): Promise<INestApplicationContext | undefined> {
  let guards: ProcessGuards | undefined;
  try {
    guards = installProcessGuards({ serviceName, logger });
    const app = await create();
    app.enableShutdownHooks();
    const detail = afterStart ? await afterStart(app) : undefined;
    guards.markReady();
    logger.log(`${serviceName} ready${detail ? ` (${detail})` : ''}`);
    return app;
  } catch (e) {
    const message = e instanceof FlowstackError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    logger.error(`${serviceName} failed to start: ${message}`);
    process.exitCode = 1;
    // Give the logger a tick to flush, then leave even if a connection keeps the loop alive.
    setTimeout(() => process.exit(1), 50).unref();
    return undefined;
  }
}
