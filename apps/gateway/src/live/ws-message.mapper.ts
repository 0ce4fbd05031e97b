import type { LiveEvent } from './live-event';

/** Node labels from the pinned graph, for `step_start` messages. */
export type Labels = ReadonlyMap<string, string | undefined>;

/**
 * Execution event -> WebSocket message (ARCHITECTURE.md section 10). Every message carries the
 * event's stream position as `seq`, which is what a reconnecting client sends back as `fromSeq`.
 */
export function toWsMessage(executionId: string, event: LiveEvent, labels: Labels): Record<string, unknown> {
  const d = event.data;
  const base = { executionId, seq: event.seq, at: event.recordedAt };
  switch (event.type) {
    case 'ExecutionStarted':
      return { type: 'execution_start', ...base, workflowId: d.workflowId, workflowVersion: d.workflowVersion };
    case 'NodeScheduled':
      return {
        type: 'step_start',
        ...base,
        nodeId: d.nodeId,
        label: labels.get(String(d.nodeId)) ?? d.nodeId,
        attempt: d.attempt,
      };
    case 'NodeCompleted':
      // A node that cost credits (an agent) also carries its `cost` and token `usage`.
      return {
        type: 'step_complete',
        ...base,
        nodeId: d.nodeId,
        attempt: d.attempt,
        durationMs: d.durationMs,
        output: d.output,
        ...(d.cost === undefined ? {} : { cost: d.cost }),
        ...(d.usage === undefined ? {} : { usage: d.usage }),
        // A fork's copied result: the node did not run in this execution.
        ...(d.copiedFrom === undefined ? {} : { copiedFrom: d.copiedFrom }),
      };
    case 'NodeFailed':
      // With `willRetry`, `nextAttempt: { attempt, dueAt }` names the attempt its retry timer starts.
      return {
        type: 'step_failed',
        ...base,
        nodeId: d.nodeId,
        attempt: d.attempt,
        error: d.error,
        willRetry: d.willRetry,
        ...(d.nextAttempt === undefined ? {} : { nextAttempt: d.nextAttempt }),
      };
    case 'NodeSkipped':
      return { type: 'step_skipped', ...base, nodeId: d.nodeId };
    case 'ApprovalRequested':
      return {
        type: 'approval_requested',
        ...base,
        nodeId: d.nodeId,
        prompt: d.prompt,
        approverRole: d.approverRole,
        ...(d.dueAt === undefined ? {} : { dueAt: d.dueAt, onTimeout: d.onTimeout }),
      };
    case 'ApprovalDecided':
      return {
        type: 'approval_decided',
        ...base,
        nodeId: d.nodeId,
        decision: d.decision,
        by: d.by,
        comment: d.comment,
        decidedAt: d.decidedAt,
        timedOut: d.timedOut,
      };
    case 'ExecutionCompleted':
      return {
        type: 'execution_complete',
        ...base,
        status: 'completed',
        output: d.output,
        totalCost: d.totalCost,
        durationMs: d.durationMs,
      };
    case 'ExecutionFailed':
      return {
        type: 'execution_complete',
        ...base,
        status: 'failed',
        error: d.error,
        totalCost: d.totalCost,
        durationMs: d.durationMs,
      };
    case 'ExecutionCancelled':
      return {
        type: 'execution_complete',
        ...base,
        status: 'cancelled',
        by: d.by,
        reason: d.reason,
        totalCost: d.totalCost,
        durationMs: d.durationMs,
      };
    case 'ExecutionRetried':
      // The run is running again after an `execution_complete` (failed); the new steps follow.
      return {
        type: 'execution_retried',
        ...base,
        by: d.by,
        reason: d.reason,
        cycle: d.cycle,
        nodes: d.nodes,
        resetNodes: d.resetNodes,
      };
    default:
      return { type: 'event', ...base, eventType: event.type, data: d };
  }
}

/** Labels of a graph's nodes, read from the `ExecutionStarted` event. */
export function labelsOf(started: LiveEvent | undefined): Map<string, string | undefined> {
  const nodes = (started?.data.graph as { nodes?: Array<{ id: string; label?: string }> })?.nodes ?? [];
  return new Map(nodes.map((n) => [n.id, n.label]));
}
