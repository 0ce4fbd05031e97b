/**
 * The pure rules of per-workspace admission (fairness): how many executions of one workspace may
 * run at once, and which queued ones start when slots free. No I/O: the store applies them under a
 * per-workspace lock, so every replica decides on the same counts.
 */

/** What a workspace holds when a start is decided: running slots taken and runs waiting. */
export interface WorkspaceLoad {
  running: number;
  queued: number;
}

/** `0` means no limit. */
export type Limit = number;

/**
 * A new start runs at once when a slot is free and nobody waits before it (FIFO: a start never
 * overtakes a queued run of its workspace); otherwise it queues behind them. `AdmissionStore.admit`
 * applies this rule in one SQL statement (its fast path); keep the two the same.
 */
export function admissionOf(load: WorkspaceLoad, limit: Limit): 'run' | 'queue' {
  if (limit <= 0) return 'run';
  return load.running < limit && load.queued === 0 ? 'run' : 'queue';
}

/** How many queued runs start now: the free slots, at most the queue's length. */
export function promotableCount(load: WorkspaceLoad, limit: Limit): number {
  if (limit <= 0) return load.queued;
  return Math.max(0, Math.min(limit - load.running, load.queued));
}

/** A queued run's place, 1 = next to start: the queued runs of its workspace ahead of it, plus one. */
export function queuePosition(ahead: number): number {
  return Math.max(0, ahead) + 1;
}

/**
 * How many of `wanted` node tasks of a workspace go out now, with `inFlight` already out and a
 * limit of `limit` in flight (`0`: no limit); the rest wait, in order, for results to come back.
 */
export function dispatchableCount(inFlight: number, wanted: number, limit: Limit): number {
  if (limit <= 0) return wanted;
  return Math.max(0, Math.min(limit - inFlight, wanted));
}
