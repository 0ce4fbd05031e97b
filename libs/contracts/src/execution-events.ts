/**
 * Events of the stream `execution-<executionId>`, owned by the orchestrator. Each stored event also
 * carries `schemaVersion` (1 for all of these); a breaking change makes a new type or an upcaster.
 *
 * Times are ISO-8601 strings and come from the command (the decider never reads the clock).
 */
import type { WorkflowGraph } from './graph';

export interface NodeError {
  /** e.g. `http_status`, `timeout`, `expression_error`, `network_error`, `invalid_config`. */
  code: string;
  message: string;
  retryable?: boolean;
  details?: unknown;
}

export interface ExecutionStarted {
  type: 'ExecutionStarted';
  data: {
    executionId: string;
    workspaceId: string;
    workflowId: string;
    workflowVersion: number;
    /** The pinned graph: the stream is self-contained, later registry edits never change a run. */
    graph: WorkflowGraph;
    input: unknown;
    startedAt: string;
    trigger: { type: 'manual' | 'api' | 'schedule' | 'webhook' | 'event'; by?: string };
  };
}

/** A node begins an attempt. `mode: 'inline'` nodes are evaluated by the orchestrator itself. */
export interface NodeScheduled {
  type: 'NodeScheduled';
  data: {
    nodeId: string;
    attempt: number;
    /** `<executionId>:<nodeId>:<attempt>`; the WORK message id and the key results carry back. */
    taskId: string;
    mode: 'inline' | 'remote';
    scheduledAt: string;
  };
}

export interface NodeCompleted {
  type: 'NodeCompleted';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    output: unknown;
    startedAt: string;
    completedAt: string;
    durationMs: number;
    /** Cost in credits (micro-units); 0 for nodes that cost nothing. */
    cost: number;
    /**
     * UTF-8 bytes of the output's JSON (for an output stored out of band, its reference's `size`):
     * what the execution's value budget counts. Optional (added in schemaVersion 1): events
     * recorded before it count by the reference's size, or by measuring the output.
     */
    outputBytes?: number;
  };
}

export interface NodeFailed {
  type: 'NodeFailed';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    error: NodeError;
    startedAt?: string;
    failedAt: string;
    durationMs?: number;
    /** False until retry policies arrive; then true when a NodeRetryScheduled follows. */
    willRetry: boolean;
  };
}

/** The node is on a branch that a condition did not take (or all its parents were skipped). */
export interface NodeSkipped {
  type: 'NodeSkipped';
  data: { nodeId: string; skippedAt: string };
}

export interface ExecutionCompleted {
  type: 'ExecutionCompleted';
  data: { output: unknown; completedAt: string; durationMs: number; totalCost: number };
}

export interface ExecutionFailed {
  type: 'ExecutionFailed';
  data: { error: NodeError & { nodeId?: string }; failedAt: string; durationMs: number; totalCost: number };
}

export type ExecutionEvent =
  ExecutionStarted | NodeScheduled | NodeCompleted | NodeFailed | NodeSkipped | ExecutionCompleted | ExecutionFailed;

export type ExecutionEventType = ExecutionEvent['type'];

export const executionStreamId = (executionId: string): string => `execution-${executionId}`;
export const EXECUTION_CATEGORY = 'execution';

export type ExecutionStatus = 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
export type NodeStatus =
  'pending' | 'scheduled' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'awaiting_approval' | 'cancelled';
