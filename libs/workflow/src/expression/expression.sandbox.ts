import { Limits } from '@flowstack/contracts';
import { ExpressionWorkerPool, type ExpressionPoolOptions } from './expression-worker.pool';

/** The sandbox of this process: its worker pool's sizing and the bound on a result's size. */
export interface ExpressionSandboxOptions extends ExpressionPoolOptions {
  /** Largest result (as JSON, in bytes) a worker evaluation may return; default `Limits.maxValueBytes`. */
  maxOutputBytes?: number;
}

let options: ExpressionSandboxOptions = {};
let pool: ExpressionWorkerPool | undefined;

/**
 * Sets how this process's expression sandbox is sized (a service calls it once at start from its
 * configuration). Workers already running are stopped; the next evaluation starts new ones.
 */
export async function configureExpressionSandbox(next: ExpressionSandboxOptions): Promise<void> {
  options = { ...next };
  await closeExpressionSandbox();
}

/** Stops the sandbox's workers (a service's shutdown, a test's `afterAll`); it restarts on next use. */
export async function closeExpressionSandbox(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}

/** @internal The process's pool, started on first use. */
export function sandboxPool(): ExpressionWorkerPool {
  pool ??= new ExpressionWorkerPool(options);
  return pool;
}

/** @internal */
export function sandboxMaxOutputBytes(): number {
  return options.maxOutputBytes ?? Limits.maxValueBytes;
}
