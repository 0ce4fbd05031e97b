import { Inject, Injectable } from '@nestjs/common';
import type { ExecutionState } from '../domain';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';

/** The bounds of one inline evaluation: its own time budget and what the execution has left. */
export interface InlineLimits {
  /** CPU-time budget of this one expression (`EXPRESSION_TIMEOUT_MS`). */
  expressionTimeoutMs: number;
  /** What is left of the execution's total expression budget (`EXECUTION_EXPRESSION_BUDGET_MS`). */
  executionBudgetLeftMs: number;
  /** The execution's workspace: the sandbox serves waiting evaluations of workspaces in turn. */
  fairnessKey?: string;
}

/**
 * The per-execution expression budget. What an execution has spent is derived from its state
 * (the `durationMs` that `NodeCompleted`/`NodeFailed` recorded for its inline nodes), so every
 * replica, and a replay, reaches the same decision from the same events.
 */
@Injectable()
export class ExpressionBudget {
  constructor(
    @Inject(ORCHESTRATOR_CONFIG)
    private readonly config: Pick<OrchestratorConfig, 'expressionTimeoutMs' | 'executionExpressionBudgetMs'> = {
      expressionTimeoutMs: 1_000,
      executionExpressionBudgetMs: 10_000,
    },
  ) {}

  /** Expression time the execution's inline nodes have spent so far, in ms. */
  spentBy(state: ExecutionState): number {
    if (state.status === 'pending') return 0;
    let spent = 0;
    for (const node of Object.values(state.nodes)) if (node.mode === 'inline') spent += node.durationMs ?? 0;
    return spent;
  }

  /** The limits of the next inline evaluation of an execution (of `workspaceId`) that has spent `spentMs`. */
  limits(spentMs: number, workspaceId?: string): InlineLimits {
    return {
      expressionTimeoutMs: this.config.expressionTimeoutMs,
      executionBudgetLeftMs: this.config.executionExpressionBudgetMs - spentMs,
      fairnessKey: workspaceId,
    };
  }
}
