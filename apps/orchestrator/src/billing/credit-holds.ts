import { Injectable, Logger } from '@nestjs/common';
import { FlowstackError, type ExecutionEvent, type RequestContext } from '@flowstack/contracts';
import type { StoredEvent } from '@flowstack/event-store';
import { decide, evolve, type ExecutionState, type StartedExecution } from '../domain';
import { CreditHoldsClient } from './credit-holds.client';
import { BillingUnavailable } from './billing-unavailable.error';

/** A scheduled attempt of a costed node that has no hold recorded yet. */
interface HoldNeeded {
  nodeId: string;
  attempt: number;
  holdId: string;
  amount: number;
}

/**
 * Credits at run time, on the execution handler's write path (see `README.md` beside this file).
 *
 * - `holdScheduled`, before the append: every remote attempt a decision scheduled for a costed
 *   node (`costCaps`) asks billing for a hold of its maximum cost, hold id = task id, so a
 *   re-decision, a redelivery or a replay asks for the same hold and billing holds it once. The
 *   answers are decided in (`RecordHold`): `NodeCostHeld`, or the node and the run fail
 *   `insufficient_credits`, and then no task of the decision goes out.
 * - `settle`, after the append (billing settles the same from EVENTS, durably): a held attempt's
 *   `NodeCompleted` is charged its cost (idempotent by the event's id) and the rest released; its `NodeFailed` (retried or not) releases the hold;
 *   a run that ends failed or cancelled releases every hold of a node that did not succeed.
 */
@Injectable()
export class CreditHolds {
  private readonly logger = new Logger('credits');

  constructor(private readonly billing: CreditHoldsClient) {}

  async holdScheduled(
    initial: ExecutionState,
    events: ExecutionEvent[],
    ctx: RequestContext,
  ): Promise<{ state: ExecutionState; events: ExecutionEvent[]; refused: boolean }> {
    const needed = holdsNeeded(initial, events);
    if (needed.length === 0) return { state: initial, events, refused: false };
    const started = initial as StartedExecution;
    const answers = await Promise.all(
      needed.map(async (n) => {
        const { outcome, available } = await this.billing
          .hold(
            { holdId: n.holdId, amount: n.amount, executionId: started.executionId, nodeId: n.nodeId },
            { ...ctx, workspaceId: started.workspaceId },
          )
          .catch((e: unknown) => {
            if (e instanceof FlowstackError && e.code === 'unavailable')
              throw new BillingUnavailable(`credits hold: ${e.message}`);
            throw e;
          });
        // An earlier delivery's hold that was settled since (charged, released, expired) holds
        // nothing any more; the attempt goes on, its charge then takes nothing.
        return { ...n, outcome: outcome === 'refused' ? ('refused' as const) : ('held' as const), available };
      }),
    );
    let state = initial;
    const all = [...events];
    const now = new Date().toISOString();
    for (const answer of answers) {
      for (const event of decide({ type: 'RecordHold', data: { ...answer, now } }, state)) {
        state = evolve(state, event);
        all.push(event);
      }
    }
    return { state, events: all, refused: answers.some((a) => a.outcome === 'refused') };
  }

  /**
   * Charges and releases what `appended` settled: the low-latency path. Never throws: a hold this
   * leaves open (billing away, this process killed first) is settled by billing from the same
   * events on EVENTS (`apps/billing/src/settlement`), and both are idempotent by hold id.
   */
  async settle(state: ExecutionState, appended: readonly StoredEvent[], ctx: RequestContext): Promise<void> {
    if (state.status === 'pending' || !state.costCaps) return;
    const scope = { ...ctx, workspaceId: state.workspaceId };
    const released = new Set<string>();
    const calls: Array<Promise<unknown>> = [];
    const release = (holdId: string, reason: 'failed' | 'cancelled'): void => {
      if (released.has(holdId)) return;
      released.add(holdId);
      calls.push(this.billing.release({ holdId, reason }, scope));
    };
    for (const stored of appended) {
      const event = { type: stored.type, data: stored.data } as ExecutionEvent;
      switch (event.type) {
        case 'NodeCompleted': {
          if (state.nodes[event.data.nodeId]?.hold?.holdId !== event.data.taskId) break;
          calls.push(
            this.billing.charge({ holdId: event.data.taskId, cost: event.data.cost, causationEventId: stored.eventId }, scope),
          );
          break;
        }
        case 'NodeFailed': {
          const hold = state.nodes[event.data.nodeId]?.hold;
          if (hold && hold.attempt === event.data.attempt) release(hold.holdId, 'failed');
          break;
        }
        case 'ExecutionFailed':
        case 'ExecutionCancelled': {
          const reason = event.type === 'ExecutionFailed' ? 'failed' : 'cancelled';
          for (const node of Object.values(state.nodes)) {
            if (node.hold && node.status !== 'succeeded') release(node.hold.holdId, reason);
          }
          break;
        }
        default:
          break;
      }
    }
    const results = await Promise.allSettled(calls);
    for (const r of results) {
      if (r.status === 'rejected') {
        this.logger.error(`settling credits of execution ${state.executionId} failed (the hold expires): ${String(r.reason)}`);
      }
    }
  }
}

/** The remote attempts `events` scheduled for costed nodes that still wait on them without a hold. */
export function holdsNeeded(state: ExecutionState, events: readonly ExecutionEvent[]): HoldNeeded[] {
  if (state.status === 'pending' || !state.costCaps) return [];
  const needed: HoldNeeded[] = [];
  for (const event of events) {
    if (event.type !== 'NodeScheduled' || event.data.mode !== 'remote') continue;
    const { nodeId, attempt, taskId } = event.data;
    const cap = state.costCaps[nodeId];
    const node = state.nodes[nodeId];
    if (!cap || cap.maxCost <= 0 || !node) continue;
    if (node.status !== 'scheduled' || node.attempts !== attempt || node.hold?.attempt === attempt) continue;
    needed.push({ nodeId, attempt, holdId: taskId, amount: cap.maxCost });
  }
  return needed;
}
