import type { ExecutionEvent } from '@flowstack/contracts';
import { attemptSpanContext, executionSpanContext, recordSpan, tracingEnabled } from '@flowstack/service-kit';
import type { ExecutionState } from '../domain';

/**
 * Records an execution's trace as its events are appended (OpenTelemetry, only when tracing is on):
 * a span per node attempt when its result is recorded (`NodeCompleted`/`NodeFailed`, with the
 * attempt's own start and end), child of the execution's root span, which is recorded when the
 * execution ends. Ids are derived from the execution and task ids (`executionSpanContext`,
 * `attemptSpanContext`), so any replica records into the same trace, and the tool-runner's span
 * (parented by the WORK message's `traceparent`) sits under its attempt.
 */
export function recordExecutionSpans(state: ExecutionState, events: readonly { type: string; data: unknown }[]): void {
  if (!tracingEnabled() || state.status === 'pending') return;
  const root = executionSpanContext(state.executionId);
  const base = { 'flowstack.execution_id': state.executionId, 'flowstack.workspace_id': state.workspaceId };
  const typeOf = (nodeId: string): string => state.topology.nodes[nodeId]?.type ?? 'unknown';
  for (const event of events as ExecutionEvent[]) {
    switch (event.type) {
      case 'NodeCompleted':
      case 'NodeFailed': {
        const d = event.data;
        const end = event.type === 'NodeCompleted' ? event.data.completedAt : event.data.failedAt;
        const start = d.startedAt ?? end;
        const nodeType = typeOf(d.nodeId);
        recordSpan({
          name: `node ${nodeType} ${d.nodeId}`,
          spanId: attemptSpanContext(state.executionId, d.taskId).spanId,
          parent: root,
          start: new Date(start),
          end: new Date(end),
          attributes: {
            ...base,
            'flowstack.node_id': d.nodeId,
            'flowstack.node_type': nodeType,
            'flowstack.attempt': d.attempt,
            'flowstack.task_id': d.taskId,
          },
          ...(event.type === 'NodeFailed' ? { error: event.data.error.code } : {}),
        });
        break;
      }
      case 'ExecutionCompleted':
      case 'ExecutionFailed':
      case 'ExecutionCancelled': {
        const d = event.data as { completedAt?: string; failedAt?: string; cancelledAt?: string };
        const end = d.completedAt ?? d.failedAt ?? d.cancelledAt ?? new Date().toISOString();
        recordSpan({
          name: 'execution',
          spanId: root.spanId,
          traceId: root.traceId,
          start: new Date(state.startedAt),
          end: new Date(end),
          attributes: { ...base, 'flowstack.workflow_id': state.workflowId, 'flowstack.status': event.type },
          ...(event.type === 'ExecutionFailed' ? { error: event.data.error.code } : {}),
        });
        break;
      }
      default:
        break;
    }
  }
}
