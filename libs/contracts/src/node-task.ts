/**
 * Messages between the orchestrator and tool-runners: a `NodeTask` on `WORK` (`work.<nodeType>`,
 * `Nats-Msg-Id` = taskId) and a `NodeResult` on `RESULTS` (`results.<executionId>`,
 * `Nats-Msg-Id` = `<taskId>:result`). A task carries everything the runner needs, so the runner
 * never reads the event store.
 */
import type { GraphNode } from './graph';
import type { NodeError } from './execution-events';

/** What templates and expressions see: `input`, `nodes.<id>.output`, `execution`. */
export interface EvaluationScope {
  input: unknown;
  nodes: Record<string, { output: unknown }>;
  execution: { id: string; workflowId: string; workflowVersion: number; startedAt: string };
}

export interface NodeTask {
  taskId: string;
  executionId: string;
  workspaceId: string;
  node: GraphNode;
  attempt: number;
  scope: EvaluationScope;
  /** Epoch ms after which the runner gives up on this attempt. */
  deadline?: number;
}

export type NodeResult =
  | {
      taskId: string;
      executionId: string;
      workspaceId: string;
      nodeId: string;
      attempt: number;
      status: 'succeeded';
      output: unknown;
      startedAt: string;
      finishedAt: string;
      cost?: number;
    }
  | {
      taskId: string;
      executionId: string;
      workspaceId: string;
      nodeId: string;
      attempt: number;
      status: 'failed';
      error: NodeError;
      startedAt: string;
      finishedAt: string;
    };

export const taskIdOf = (executionId: string, nodeId: string, attempt: number): string => `${executionId}:${nodeId}:${attempt}`;
