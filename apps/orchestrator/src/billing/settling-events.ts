import type { ExecutionEvent } from '@flowstack/contracts';
import type { ExecutionState } from '../domain';

/**
 * Whether billing's durable settlement must see `event` (`metadata.settlesCredits`, the `settles`
 * token of its subject): a costed node's end (its attempts hold credits) and any end of a run with
 * costed nodes (it releases what is still held). The events of a run without costed nodes, most
 * runs, never reach billing. A static rule on `costCaps` (snapshotted at start), so a redecision,
 * a retry or the relay marks the same events; a costed node that never held (refused) is a
 * delivery billing finds nothing to settle in, never a hold it misses.
 */
export function settlesCredits(state: ExecutionState, event: ExecutionEvent): boolean {
  if (state.status === 'pending' || !state.costCaps) return false;
  switch (event.type) {
    case 'NodeCompleted':
    case 'NodeFailed':
      return (state.costCaps[event.data.nodeId]?.maxCost ?? 0) > 0;
    case 'ExecutionCompleted':
    case 'ExecutionFailed':
    case 'ExecutionCancelled':
      return Object.values(state.costCaps).some((cap) => cap.maxCost > 0);
    default:
      return false;
  }
}
