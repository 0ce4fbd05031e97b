import type { NodeTask, TokenUsage } from '@flowstack/contracts';

/**
 * Does one node's work. Throws `NodeFailure` for expected failures; returns the node's output.
 * An executor that pays for work as it goes (LLM turns) adds it to `spend`, so a failed attempt
 * (a throw, a timeout, a cancel) still reports what it cost.
 */
export interface NodeExecutor {
  execute(task: NodeTask, signal: AbortSignal, spend?: AttemptSpend): Promise<NodeOutcome>;
}

/** What one attempt has spent so far (credits and tokens), whatever way it ends. */
export class AttemptSpend {
  cost = 0;
  usage?: TokenUsage;

  add(cost: number, usage?: TokenUsage): void {
    this.cost += cost;
    if (!usage) return;
    this.usage = {
      inputTokens: (this.usage?.inputTokens ?? 0) + usage.inputTokens,
      outputTokens: (this.usage?.outputTokens ?? 0) + usage.outputTokens,
      model: usage.model || this.usage?.model || '',
    };
  }

  /** The fields a failed result carries: none when nothing was spent. */
  asResultFields(): { cost?: number; usage?: TokenUsage } {
    return { ...(this.cost > 0 ? { cost: this.cost } : {}), ...(this.usage ? { usage: this.usage } : {}) };
  }
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
