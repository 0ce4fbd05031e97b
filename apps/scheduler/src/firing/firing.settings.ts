/** What the fire loop reads from the scheduler's settings. */
export interface FiringSettings {
  /** False: this replica never fires (`SCHEDULER_FIRE=false`). */
  fire: boolean;
  pollMs: number;
  batchSize: number;
  /** Claim transactions one replica runs at once (`SCHEDULER_PARALLEL_CLAIMS`). */
  parallelClaims: number;
  graceMs: number;
}

export const FIRING_SETTINGS = Symbol('FIRING_SETTINGS');
