import type { NodeTask, TokenUsage } from '@flowstack/contracts';

/** Does one node's work. Throws `NodeFailure` for expected failures; returns the node's output. */
export interface NodeExecutor {
  execute(task: NodeTask, signal: AbortSignal): Promise<NodeOutcome>;
}

export interface NodeOutcome {
  output: unknown;
  /** Credits (micro-units) the attempt cost; 0 for free work. */
  cost?: number;
  /** Tokens an LLM-calling attempt used (recorded on `NodeCompleted`). */
  usage?: TokenUsage;
}

export const NODE_EXECUTORS = Symbol('NODE_EXECUTORS');

/** Executors by node type (`tool`, later `agent_call` ...). */
export type NodeExecutorMap = ReadonlyMap<string, NodeExecutor>;
