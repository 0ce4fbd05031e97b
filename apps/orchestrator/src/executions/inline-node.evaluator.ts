import type { EvaluationScope, GraphNode, NodeError } from '@flowstack/contracts';
import { ExpressionError, evaluateExpression, renderTemplate } from '@flowstack/workflow';
import { DataValidator } from './data-validator';
import type { InlineLimits } from './expression.budget';

export type InlineOutcome = { ok: true; output: unknown } | { ok: false; error: NodeError };

/**
 * Evaluates the nodes the orchestrator runs itself (no I/O, bounded in time): `input` passes the
 * execution input on, `transform` and `condition` evaluate their JSONata expression, `output`
 * renders its value template, `validation` checks its data (`config.data`, a template, or else the
 * execution input) against `config.schema` and passes the data on. Expression failures and
 * violations become node failures, not exceptions.
 *
 * Expressions that may run long are evaluated in the sandbox's worker processes (see
 * `@flowstack/workflow`), within `limits`: the expression's own CPU-time budget, cut to what the
 * execution has left of its total; a spent execution budget fails the node with
 * `expression_budget_exceeded`. Every failure here is `retryable: false`: the same scope makes
 * the same expression fail the same way, so a retry policy never runs it again.
 */
const dataValidator = new DataValidator();

export async function evaluateInlineNode(
  node: GraphNode,
  scope: EvaluationScope,
  limits: InlineLimits = { expressionTimeoutMs: 1000, executionBudgetLeftMs: Infinity },
): Promise<InlineOutcome> {
  const config = node.config ?? {};
  const timeoutMs = Math.min(limits.expressionTimeoutMs, limits.executionBudgetLeftMs);
  const budgetBound = limits.executionBudgetLeftMs < limits.expressionTimeoutMs;
  const fairnessKey = limits.fairnessKey;
  if (node.type !== 'input' && timeoutMs <= 0) return { ok: false, error: budgetExceeded() };
  try {
    switch (node.type) {
      case 'input':
        return { ok: true, output: scope.input };
      case 'transform':
      case 'condition':
        return { ok: true, output: await evaluateExpression(String(config.expression), scope, { timeoutMs, fairnessKey }) };
      case 'output':
        return { ok: true, output: await renderTemplate(config.value, scope, { timeoutMs, fairnessKey }) };
      case 'validation': {
        const data =
          config.data === undefined ? scope.input : await renderTemplate(config.data, scope, { timeoutMs, fairnessKey });
        const error = dataValidator.check(config.schema, data);
        return error ? { ok: false, error } : { ok: true, output: data };
      }
      default:
        return {
          ok: false,
          error: { code: 'unsupported_node_type', message: `"${node.type}" cannot run inline`, retryable: false },
        };
    }
  } catch (e) {
    if (e instanceof ExpressionError && e.code === 'expression_timeout' && budgetBound)
      return { ok: false, error: budgetExceeded() };
    if (e instanceof ExpressionError) return { ok: false, error: { code: e.code, message: e.message, retryable: false } };
    throw e;
  }
}

const budgetExceeded = (): NodeError => ({
  code: 'expression_budget_exceeded',
  message: 'the execution has spent its expression time budget (EXECUTION_EXPRESSION_BUDGET_MS)',
  retryable: false,
});
