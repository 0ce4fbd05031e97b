/** What the fire loop reads from the scheduler's settings. */
export interface FiringSettings {
  /** False: this replica never fires (`SCHEDULER_FIRE=false`). */
  fire: boolean;
  pollMs: number;
  batchSize: number;
  graceMs: number;
}

export const FIRING_SETTINGS = Symbol('FIRING_SETTINGS');
