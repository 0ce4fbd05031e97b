import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { WakeSource } from './commit-signal';
import { comparePositions } from './checkpointed-projection';
import type { LogCheckpoint, StoredEvent } from './event.types';

/** What the owning thread tells the projection's thread. */
type ToThread = { type: 'wake'; at: LogCheckpoint } | { type: 'stop' };
/** What the projection's thread tells its owner. */
type FromThread = { type: 'error'; message: string } | { type: 'stopped' };

/** The part of a `CheckpointedProjection` its thread drives. */
export interface ThreadedProjection {
  start(): void;
  wake(committed: readonly LogCheckpoint[]): void;
  stop(): Promise<void>;
}

export interface ProjectionThreadOptions {
  /** The thread's entry file: it calls `serveProjectionThread` (see there). */
  entry: string;
  /** Plain data the entry builds its projection from (`workerData`). */
  data: unknown;
  /** This process's commits: each one is forwarded to the thread as a wake. */
  wakeOn?: WakeSource;
  /**
   * Only commits holding an event this says yes to wake the thread (default: every commit). The
   * rest are read by the next pass all the same (a later wake or the poll): a commit the
   * projection ignores need not cost a pass of its own.
   */
  wakesFor?: (event: StoredEvent) => boolean;
  logger: { error(message: string): void; warn(message: string): void };
  /** A thread that died is started again after this long, ms. Default 1,000. */
  restartDelayMs?: number;
}

/**
 * True when a worker thread can load `entry` in this process: built JavaScript, or TypeScript
 * with swc's loader preloaded (`npm start`, the e2e tests, the benchmark). Inside Jest (its own
 * module system) it cannot, and the caller runs the projection on the main thread instead.
 */
export const canRunInThread = (entry: string): boolean =>
  entry.endsWith('.js') || process.execArgv.some((arg) => arg.includes('@swc-node/register'));

/**
 * Runs a log projection on a worker thread of its own, woken by this process's commits.
 *
 * Why: a projection's pass is a handful of round trips to Postgres, and on a busy service's event
 * loop each one waits behind every callback queued before it (deciding, encoding, publishing).
 * Under a saturating load that made the execution history trail the log by seconds; on its own
 * loop a pass waits only for Postgres. The projection keeps its exactly-once guarantees (they are
 * in its transactions, not in where it runs). A thread that dies is logged and started again.
 */
export class ProjectionThread {
  private worker: Worker | undefined;
  private unsubscribe: (() => void) | undefined;
  private running = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** The newest commit seen while no thread was up: handed to the next one. */
  private pending: LogCheckpoint | undefined;
  /** The newest commit of this turn of the event loop, posted once at its end. */
  private queued: LogCheckpoint | undefined;

  constructor(private readonly options: ProjectionThreadOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const { wakesFor } = this.options;
    this.unsubscribe = this.options.wakeOn?.subscribe((events) => {
      const last = events[events.length - 1];
      if (!last || (wakesFor && !events.some(wakesFor))) return;
      this.wake({ transactionId: last.transactionId, globalPosition: last.globalPosition });
    });
    this.spawn();
  }

  /** Stops the thread after its pass in progress; resolves once it has exited. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToThread);
    // A thread stuck in a query must not hold the shutdown forever.
    const forced = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(forced);
  }

  /**
   * One message per turn of the event loop, carrying the newest of its commits: the thread chases
   * only the newest anyway, and a busy writer commits several times a turn (each post is a
   * structured clone and a wake of the thread).
   */
  private wake(at: LogCheckpoint): void {
    const first = this.queued === undefined;
    if (first || comparePositions(at, this.queued!) > 0) this.queued = at;
    if (!first) return;
    setImmediate(() => {
      const newest = this.queued!;
      this.queued = undefined;
      if (this.worker) this.worker.postMessage({ type: 'wake', at: newest } satisfies ToThread);
      else this.pending = newest;
    });
  }

  private spawn(): void {
    const worker = new Worker(this.options.entry, { workerData: this.options.data });
    this.worker = worker;
    worker.on('message', (message: FromThread) => {
      if (message.type === 'error') this.options.logger.error(message.message);
    });
    worker.on('error', (e: Error) => this.options.logger.error(`projection thread failed: ${e.message}`));
    worker.on('exit', (code) => {
      this.worker = undefined;
      if (!this.running) return;
      this.options.logger.warn(`projection thread exited (${code}); starting it again`);
      this.restartTimer = setTimeout(() => this.running && this.spawn(), this.options.restartDelayMs ?? 1_000);
    });
    if (this.pending) {
      this.wake(this.pending);
      this.pending = undefined;
    }
  }
}

/**
 * The thread's side: builds the projection from the owner's data, follows the log, turns wakes
 * into `wake()` and a stop into `stop()` (then the thread ends), and reports its errors to the
 * owner's logger. An entry file is one call: `serveProjectionThread((data) => new X(...))`.
 */
export function serveProjectionThread<D>(
  build: (data: D, logger: { error(message: string): void }) => ThreadedProjection | Promise<ThreadedProjection>,
): void {
  if (isMainThread || !parentPort) throw new Error('serveProjectionThread runs in a worker thread');
  const port = parentPort;
  const logger = { error: (message: string) => port.postMessage({ type: 'error', message } satisfies FromThread) };
  const ready = Promise.resolve(build(workerData as D, logger)).then((projection) => {
    projection.start();
    return projection;
  });
  port.on('message', (message: ToThread) => {
    void ready.then(async (projection) => {
      if (message.type === 'wake') projection.wake([message.at]);
      else {
        await projection.stop();
        port.postMessage({ type: 'stopped' } satisfies FromThread);
        port.close();
      }
    });
  });
  ready.catch((e: unknown) => {
    logger.error(`projection thread could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
