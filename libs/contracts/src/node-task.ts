/**
 * Messages between the orchestrator and tool-runners: a `NodeTask` on `WORK` (`work.<nodeType>`,
 * `Nats-Msg-Id` = taskId) and a `NodeResult` on `RESULTS` (`results.<executionId>`,
 * `Nats-Msg-Id` = `<taskId>:result`). A task carries everything the runner needs, so the runner
 * never reads the event store.
 */
import type { GraphNode } from './graph';
import type { NodeError } from './execution-events';
import type { ValueRef } from './value-ref';
import type { TokenUsage } from './llm';

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
  /**
   * Node outputs and the input larger than `Limits.inlineValueBytes` are `ValueRef`s here; the
   * runner resolves them before it renders anything.
   */
  scope: EvaluationScope;
  /**
   * Set when even the scope of references did not fit in one bus message: the whole scope is
   * stored out of band and `scope` carries only `execution` (empty `input` and `nodes`).
   */
  scopeRef?: ValueRef;
  /** Epoch ms after which the runner gives up on this attempt. */
  deadline?: number;
  /**
   * The attempt's start-to-close timeout (the node's `config.timeoutMs`, else the workflow's
   * `defaults.timeoutMs`): the runner fails the attempt with `timeout` (retryable) once it has
   * run this long. Absent: only the tool's own limits apply.
   */
  timeoutMs?: number;
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
      /** Tokens an `agent_call` attempt used (summed over its turns), recorded on `NodeCompleted`. */
      usage?: TokenUsage;
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
      /** Credits the failed attempt spent anyway (LLM turns, a failed call's tokens), recorded on `NodeFailed`. */
      cost?: number;
      usage?: TokenUsage;
    };

export const taskIdOf = (executionId: string, nodeId: string, attempt: number): string => `${executionId}:${nodeId}:${attempt}`;
