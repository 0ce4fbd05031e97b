/**
 * A failed node attempt under its retry policy (shared by results, holds, timeouts and children).
 */
import type { ExecutionEvent } from '@flowstack/contracts';
import type { FailNode } from './execution.commands';
import type { ActiveExecution } from './execution.state';
import { retryPlan, retryPolicyOf } from './retry.policy';
import { elapsedMs } from './execution.scheduling';

/**
 * A failed attempt: `NodeFailed {willRetry: true}` and `NodeRetryScheduled` when the node's retry
 * policy allows another attempt, else `NodeFailed {willRetry: false}` and `ExecutionFailed`.
 */
export function failed(current: ActiveExecution, data: FailNode['data']): ExecutionEvent[] {
  const { nodeId, attempt, taskId, error, startedAt, failedAt, durationMs, now } = data;
  // Optional fields stay absent rather than `undefined`, so the stored JSON matches the contract.
  const timing = {
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(durationMs === undefined ? {} : { durationMs }),
    // What a failed attempt spent anyway (an agent's turns) is recorded and counted in the total.
    ...(data.cost ? { cost: data.cost } : {}),
    ...(data.usage === undefined ? {} : { usage: data.usage }),
  };
  const base = current.nodes[nodeId].retryBase ?? 0;
  const retry = retryPlan(retryPolicyOf(current, nodeId), nodeId, attempt, error, now, data.random ?? 0, base);
  if (retry) {
    const { attempt: next, timerId, dueAt, delayMs } = retry;
    return [
      {
        type: 'NodeFailed',
        data: { nodeId, attempt, taskId, error, ...timing, failedAt, willRetry: true, nextAttempt: { attempt: next, dueAt } },
      },
      { type: 'NodeRetryScheduled', data: { nodeId, attempt: next, timerId, dueAt, delayMs } },
    ];
  }
  return [
    { type: 'NodeFailed', data: { nodeId, attempt, taskId, error, ...timing, failedAt, willRetry: false } },
    {
      type: 'ExecutionFailed',
      data: {
        error: { ...error, nodeId },
        failedAt: now,
        durationMs: elapsedMs(current.startedAt, now),
        totalCost: current.totalCost + (data.cost ?? 0),
      },
    },
  ];
}
