import type { EvaluationScope, GraphNode } from '@flowstack/contracts';
import { closeExpressionSandbox } from '@flowstack/workflow';
import { DataValidator } from './data-validator';
import { evaluateInlineNode } from './inline-node.evaluator';

const schema = {
  type: 'object',
  required: ['title', 'budget'],
  properties: {
    title: { type: 'string', minLength: 3 },
    budget: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' } },
    'Content-Type': { type: 'string' },
  },
};

describe('DataValidator', () => {
  const validator = new DataValidator();

  it('passes matching data', () => {
    expect(validator.check(schema, { title: 'Grant', budget: 10 })).toBeUndefined();
  });

  it('reports every violation with its path, not just the first', () => {
    const error = validator.check(schema, { title: 'G', tags: ['a', 2], 'Content-Type': 1 });
    expect(error).toMatchObject({
      code: 'validation_failed',
      retryable: false,
      message: 'the data does not match the schema (4 violations)',
    });
    const paths = (error?.details as { errors: { path: string; rule: string }[] }).errors.map((e) => [e.path, e.rule]);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['data.budget', 'required'],
        ['data.title', 'minLength'],
        ['data.tags[1]', 'type'],
        ['data["Content-Type"]', 'type'],
      ]),
    );
  });

  it('answers a schema that does not compile with invalid_config', () => {
    expect(validator.check({ type: 'object', properties: { a: { $ref: '#/nope' } } }, {})).toMatchObject({
      code: 'invalid_config',
    });
  });
});

describe('validation node', () => {
  afterAll(() => closeExpressionSandbox());
  const scope: EvaluationScope = {
    input: { title: 'Grant application', budget: 5000 },
    nodes: { fetch: { output: { title: 'x' } } },
    execution: { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: '2025-01-01T00:00:00.000Z' },
  };
  const node = (config: Record<string, unknown>): GraphNode => ({ id: 'validate_input', type: 'validation', config });

  it('checks the execution input by default and passes it on', async () => {
    await expect(evaluateInlineNode(node({ schema }), scope)).resolves.toEqual({ ok: true, output: scope.input });
  });

  it('checks config.data (a template) when given, and fails with the violations', async () => {
    const outcome = await evaluateInlineNode(node({ schema, data: '{{ nodes.fetch.output }}' }), scope);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const errors = !outcome.ok && (outcome.error.details as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(errors).toEqual(expect.arrayContaining(['data.budget', 'data.title']));
  });
});
