import type { EvaluationScope, GraphNode } from '@flowstack/contracts';
import { closeExpressionSandbox } from '@flowstack/workflow';
import { ExpressionBudget } from './expression.budget';
import { evaluateInlineNode } from './inline-node.evaluator';

const scope: EvaluationScope = {
  input: { name: 'ada' },
  nodes: {},
  execution: { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: '2025-01-01T00:00:00.000Z' },
};
const transform = (expression: string): GraphNode => ({ id: 't', type: 'transform', config: { expression } });

describe('evaluateInlineNode bounds (issue 7 rows 4 and 5)', () => {
  afterAll(() => closeExpressionSandbox());

  it('evaluates a linear expression in-thread as before', async () => {
    await expect(evaluateInlineNode(transform('$uppercase(input.name)'), scope)).resolves.toEqual({ ok: true, output: 'ADA' });
  });

  it('fails row 4 with expression_timeout or expression_memory instead of taking the process', async () => {
    const outcome = await evaluateInlineNode(transform('$count($sort([1..100000]))'), scope, {
      expressionTimeoutMs: 300,
      executionBudgetLeftMs: 10_000,
    });
    expect(outcome.ok).toBe(false);
    expect(['expression_timeout', 'expression_memory']).toContain(!outcome.ok && outcome.error.code);
  });

  it('a spent execution budget fails the node with expression_budget_exceeded', async () => {
    const spent = await evaluateInlineNode(transform('input.name'), scope, {
      expressionTimeoutMs: 1000,
      executionBudgetLeftMs: 0,
    });
    expect(spent).toMatchObject({ ok: false, error: { code: 'expression_budget_exceeded' } });
    const cut = await evaluateInlineNode(transform('($f := function($x) { $f($x) }; $f(1))'), scope, {
      expressionTimeoutMs: 1000,
      executionBudgetLeftMs: 50,
    });
    expect(cut).toMatchObject({ ok: false, error: { code: 'expression_budget_exceeded' } });
  });

  it("derives what an execution spent from its inline nodes' recorded durations", () => {
    const budget = new ExpressionBudget({ expressionTimeoutMs: 1000, executionExpressionBudgetMs: 10_000 });
    const state = {
      status: 'running',
      nodes: {
        a: { status: 'succeeded', attempts: 1, mode: 'inline', durationMs: 700 },
        b: { status: 'failed', attempts: 1, mode: 'inline', durationMs: 300 },
        c: { status: 'succeeded', attempts: 1, mode: 'remote', durationMs: 5000 },
      },
    } as never;
    expect(budget.spentBy(state)).toBe(1000);
    expect(budget.limits(1000, 'ws')).toEqual({ expressionTimeoutMs: 1000, executionBudgetLeftMs: 9000, fairnessKey: 'ws' });
  });
});
