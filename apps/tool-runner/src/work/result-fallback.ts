import type { NodeResult } from '@flowstack/contracts';

/** Longest reason carried by a `result_unpublishable` failure (it must itself fit the bus easily). */
const REASON_CHARS = 500;

/**
 * Whether a result's publish failed for a reason no retry can fix: the payload is over the bus's
 * `max_payload` (our `payload_too_large`, or the client's own check), the stream refuses its size,
 * or it could not be encoded at all (a `RangeError` from JSON.stringify on a too-deep value, a
 * BigInt). Anything else (a timeout, a closed connection, no stream answering) is transient.
 */
export function isPermanentPublishError(e: unknown): boolean {
  if ((e as { code?: unknown })?.code === 'payload_too_large') return true;
  if (e instanceof RangeError) return true;
  if (e instanceof TypeError && /BigInt|circular/i.test(e.message)) return true;
  const message = e instanceof Error ? e.message : String(e);
  return /max_payload|maximum payload|message size exceeds|payload too large/i.test(message);
}

/**
 * The small failure published in place of a result that cannot be published: the node fails with
 * `result_unpublishable` and the reason (not retryable: running the tool again would produce the
 * same result), so the execution ends instead of re-running the tool on every redelivery.
 */
export function unpublishableResult(result: NodeResult, cause: unknown): NodeResult {
  const reason = (cause instanceof Error ? cause.message : String(cause)).slice(0, REASON_CHARS);
  const { taskId, executionId, workspaceId, nodeId, attempt, startedAt } = result;
  return {
    taskId,
    executionId,
    workspaceId,
    nodeId,
    attempt,
    startedAt,
    finishedAt: new Date().toISOString(),
    status: 'failed',
    error: {
      code: 'result_unpublishable',
      message: `the node's result could not be published: ${reason}`,
      retryable: false,
      details: {
        reasonCode: (cause as { code?: unknown })?.code === 'payload_too_large' ? 'payload_too_large' : 'unpublishable',
      },
    },
  };
}
