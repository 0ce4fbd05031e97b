import { Counter } from 'prom-client';
import { intFromEnv } from './config';
import { ErrorBurst } from './error-burst';
import { metricsRegistry } from './metrics-registry';

type ErrorKind = 'uncaught exception' | 'unhandled rejection';

/** Every uncaught error the guards saw, survived or not (`kind`: `uncaught_exception`, `unhandled_rejection`). */
const uncaughtErrors = new Counter({
  name: 'flowstack_uncaught_errors_total',
  help: 'Uncaught exceptions and unhandled rejections seen by the process guards, survived or not',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});
const uncaughtByKind: Record<ErrorKind, Counter.Internal> = {
  'uncaught exception': uncaughtErrors.labels('uncaught_exception'),
  'unhandled rejection': uncaughtErrors.labels('unhandled_rejection'),
};
// Both series from the start, so a rate over them is 0 rather than absent until the first error.
for (const kind of ['uncaught_exception', 'unhandled_rejection']) uncaughtErrors.inc({ kind }, 0);

/** Where the guards report; Nest's `LoggerService` fits. */
export interface GuardLogger {
  error(message: string): void;
  fatal?(message: string): void;
}

export interface ProcessGuardOptions {
  serviceName: string;
  logger: GuardLogger;
  /** Uncaught errors tolerated within `windowMs`; one more exits (`PROCESS_MAX_UNCAUGHT`, default 10; 0 exits on the first). */
  maxErrors?: number;
  /** The sliding window of that count (`PROCESS_UNCAUGHT_WINDOW_MS`, default 60 000). */
  windowMs?: number;
  /** How the process leaves when surviving is unsafe; tests replace it. */
  exit?: (code: number) => void;
}

/** What `installProcessGuards` returns. */
export interface ProcessGuards {
  /** From now on errors are survived (before this, the service is not serving and any error exits). */
  markReady(): void;
  /** Removes the handlers (tests; a process that installs them keeps them for its lifetime). */
  uninstall(): void;
}

/** Exit code of a process the guards stopped, so the supervisor's log says why. */
export const GUARD_EXIT_CODE = 70;

/**
 * Installs the process-level safety net of a service: `uncaughtException` and
 * `unhandledRejection` handlers that log the error with the service name and keep the process
 * alive where that is safe, instead of Node's default of exiting on the first one. Each one counts
 * in `flowstack_uncaught_errors_total{kind}`.
 *
 * Why surviving is safe here: no service keeps state only in memory (executions live in Postgres
 * and JetStream, every consumer is idempotent, requests are retried by callers), so an error that
 * unwound one request's or one message's work loses at most that piece of work, exactly what a
 * crash would lose, while every other tenant's requests go on.
 *
 * What counts as unsafe, and exits with code 70 so the supervisor (`npm start`, Kubernetes)
 * restarts the process:
 * - any uncaught error before `markReady()`: a service that failed while starting is not serving
 *   anything worth keeping, and a half-initialized one must not run;
 * - a burst: more than `maxErrors` within `windowMs`. One bad request is survivable; a stream of
 *   them means a loop or state broken beyond one request, and a fresh process is the cure;
 * - memory exhaustion that surfaces as an error (`RangeError: Array buffer allocation failed`,
 *   `ERR_MEMORY_ALLOCATION_FAILED`): the heap or off-heap memory is gone and the next allocation
 *   anywhere fails too;
 * - an error marked `fatal: true` by the code that threw it.
 *
 * Not covered, because no handler can: V8's out-of-memory abort (exit 134) and native crashes.
 * Those need the bounds that keep them from happening (payload limits, worker budgets) and the
 * supervisor's restart.
 */
export function installProcessGuards(options: ProcessGuardOptions): ProcessGuards {
  const { serviceName, logger } = options;
  const burst = new ErrorBurst(
    options.maxErrors ?? intFromEnv('PROCESS_MAX_UNCAUGHT', 10),
    options.windowMs ?? intFromEnv('PROCESS_UNCAUGHT_WINDOW_MS', 60_000),
  );
  const exit = options.exit ?? ((code: number) => leave(code));
  let ready = false;
  let exiting = false;

  const onError = (kind: ErrorKind, error: unknown): void => {
    uncaughtByKind[kind].inc();
    const text = describeError(error);
    const count = burst.record(Date.now());
    const unsafe = !ready
      ? 'during start-up'
      : burst.exceeded
        ? `${count} in ${burst.windowMs} ms (more than ${burst.maxErrors})`
        : isMemoryExhaustion(error)
          ? 'memory exhausted'
          : isMarkedFatal(error)
            ? 'marked fatal'
            : undefined;
    if (!unsafe) {
      logger.error(`${serviceName}: ${kind} survived (${count} in the last ${burst.windowMs} ms): ${text}`);
      return;
    }
    (logger.fatal ?? logger.error).call(logger, `${serviceName}: ${kind}, exiting (${unsafe}): ${text}`);
    if (exiting) return;
    exiting = true;
    exit(GUARD_EXIT_CODE);
  };
  // A handler that throws makes Node exit at once (code 7), so a failing logger falls back to stderr.
  const guarded =
    (kind: ErrorKind) =>
    (error: unknown): void => {
      try {
        onError(kind, error);
      } catch (e) {
        process.stderr.write(`${serviceName}: ${kind} (the logger failed too: ${String(e)}): ${describeError(error)}\n`);
      }
    };
  const onUncaught = guarded('uncaught exception');
  const onRejection = guarded('unhandled rejection');
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  return {
    markReady: () => {
      ready = true;
    },
    uninstall: () => {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onRejection);
    },
  };
}

/** Leaves after the logger had a tick to flush, even if open connections keep the loop alive. */
function leave(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 50).unref();
}

const describeError = (e: unknown): string => (e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));

const isMemoryExhaustion = (e: unknown): boolean =>
  e instanceof Error &&
  ((e as { code?: unknown }).code === 'ERR_MEMORY_ALLOCATION_FAILED' ||
    (e instanceof RangeError && /allocation failed/i.test(e.message)));

const isMarkedFatal = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { fatal?: unknown }).fatal === true;
