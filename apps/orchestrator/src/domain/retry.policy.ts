/**
 * The retry rule: whether a failed attempt runs again and after how long. Pure: the randomness of
 * the jitter arrives in the command, like the time.
 */
import { DEFAULT_RETRY_POLICY, type NodeError, type RetryPolicy, type RetryPolicyConfig } from '@flowstack/contracts';
import type { ExecutionCore } from './execution.state';

/** The next attempt of a node whose attempt failed, and its durable timer. */
export interface RetryPlan {
  /** The attempt that will run: the failed one + 1. */
  attempt: number;
  timerId: string;
  delayMs: number;
  dueAt: string;
}

/** The id of the timer that starts `attempt` of `nodeId` (unique within the execution). */
export const retryTimerId = (nodeId: string, attempt: number): string => `retry:${nodeId}:${attempt}`;

/**
 * The policy `nodeId` runs with: its `config.retry` over the graph's `defaults.retry` over
 * `DEFAULT_RETRY_POLICY`. Saved graphs are validated, but a field of the wrong type (a version
 * saved before the rule) counts as absent rather than as a surprise.
 */
export function retryPolicyOf(state: Pick<ExecutionCore, 'graph' | 'topology'>, nodeId: string): RetryPolicy {
  const own = state.topology.nodes[nodeId]?.config?.retry as RetryPolicyConfig | undefined;
  const workflow = state.graph.defaults?.retry;
  const number = (key: 'maxAttempts' | 'initialIntervalMs' | 'backoffCoefficient' | 'maxIntervalMs' | 'jitter'): number => {
    const value = [own?.[key], workflow?.[key]].find((v) => typeof v === 'number' && Number.isFinite(v));
    return value ?? DEFAULT_RETRY_POLICY[key];
  };
  const codes = [own?.nonRetryableErrorCodes, workflow?.nonRetryableErrorCodes].find((v): v is string[] => Array.isArray(v));
  return {
    maxAttempts: number('maxAttempts'),
    initialIntervalMs: number('initialIntervalMs'),
    backoffCoefficient: number('backoffCoefficient'),
    maxIntervalMs: number('maxIntervalMs'),
    jitter: Math.min(1, Math.max(0, number('jitter'))),
    nonRetryableErrorCodes: codes ?? DEFAULT_RETRY_POLICY.nonRetryableErrorCodes,
  };
}

/**
 * The wait after attempt `failed` (1-based): `initialIntervalMs * backoffCoefficient^(failed-1)`,
 * capped at `maxIntervalMs`, then shortened by `jitter * random` of itself; whole milliseconds.
 * `random` is uniform in [0, 1).
 */
export function backoffMs(policy: RetryPolicy, failed: number, random: number): number {
  const exponential = policy.initialIntervalMs * policy.backoffCoefficient ** Math.max(0, failed - 1);
  const capped = Math.min(policy.maxIntervalMs, exponential);
  const r = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0;
  return Math.max(0, Math.round(capped * (1 - policy.jitter * r)));
}

/**
 * What the failed call asked for: `details.retryAfter` (seconds, e.g. a provider's 429
 * `retry-after`) as ms, at most the policy's `maxIntervalMs`; 0 when absent. The wait is then
 * the longer of it and the backoff.
 */
export function retryAfterMs(policy: RetryPolicy, error: NodeError): number {
  const seconds = (error.details as { retryAfter?: unknown } | undefined)?.retryAfter;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(policy.maxIntervalMs, Math.ceil(seconds * 1000));
}

/**
 * The retry of a failed attempt, or undefined when the node fails for good: the error is marked
 * `retryable: false` (the tool-runner's verdict: the same input fails the same way), its code is
 * in `nonRetryableErrorCodes`, or the attempt was the last one `maxAttempts` allows. A
 * `details.retryAfter` lengthens the wait (`retryAfterMs`). `base` is the attempt the node's
 * current retry cycle counts from (after a retry of the execution, `NodeState.retryBase`): attempts
 * and backoff count from it, so each retry of the execution gives a fresh budget.
 */
export function retryPlan(
  policy: RetryPolicy,
  nodeId: string,
  failed: number,
  error: NodeError,
  now: string,
  random: number,
  base = 0,
): RetryPlan | undefined {
  if (error.retryable === false || policy.nonRetryableErrorCodes.includes(error.code)) return undefined;
  if (failed - base >= policy.maxAttempts) return undefined;
  const delayMs = Math.max(backoffMs(policy, failed - base, random), retryAfterMs(policy, error));
  const attempt = failed + 1;
  return { attempt, timerId: retryTimerId(nodeId, attempt), delayMs, dueAt: new Date(Date.parse(now) + delayMs).toISOString() };
}

/**
 * The schedule-to-close timeout of `nodeId`, ms: the longest it may take from its first attempt's
 * scheduling to its success, across attempts and retry waits (`config.scheduleToCloseTimeoutMs`,
 * else the graph's `defaults.scheduleToCloseTimeoutMs`); undefined when neither is set.
 */
export function scheduleToCloseTimeoutOf(state: Pick<ExecutionCore, 'graph' | 'topology'>, nodeId: string): number | undefined {
  const own = state.topology.nodes[nodeId]?.config?.scheduleToCloseTimeoutMs;
  const workflow = state.graph.defaults?.scheduleToCloseTimeoutMs;
  return [own, workflow].find((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
}

/**
 * The start-to-close timeout of each attempt of `nodeId`, ms: its `config.timeoutMs`, else the
 * graph's `defaults.timeoutMs`; undefined when neither is set.
 */
export function attemptTimeoutOf(state: Pick<ExecutionCore, 'graph' | 'topology'>, nodeId: string): number | undefined {
  const own = state.topology.nodes[nodeId]?.config?.timeoutMs;
  const workflow = state.graph.defaults?.timeoutMs;
  return [own, workflow].find((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
}
