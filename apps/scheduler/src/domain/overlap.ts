/**
 * What a due fire does while the schedule's previous run is still going:
 * - `allow`: start another run;
 * - `skip`: record the fire as skipped;
 * - `buffer_one`: keep one fire waiting and start it when the running one ends; a fire arriving
 *   while one already waits is skipped.
 */
export type OverlapPolicy = 'allow' | 'skip' | 'buffer_one';

export type OverlapDecision = 'start' | 'skip' | 'buffer';

export function decideOverlap(policy: OverlapPolicy, running: number, buffered: number): OverlapDecision {
  if (running === 0 || policy === 'allow') return 'start';
  if (policy === 'skip') return 'skip';
  return buffered === 0 ? 'buffer' : 'skip';
}
