import { Limits, valueRefOf, type EvaluationScope } from '@flowstack/contracts';
import { fitTaskScope, TASK_SCOPE_BUDGET_BYTES } from './task-scope.fit';

const execution = { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: '2026-01-01T00:00:00.000Z' };
const scopeOf = (count: number, size: number): EvaluationScope => ({
  input: {},
  nodes: Object.fromEntries(Array.from({ length: count }, (_, i) => [`n${i}`, { output: 'x'.repeat(size) }])),
  execution,
});

describe('fitting a task scope on the bus', () => {
  const stored: unknown[] = [];
  const put = (encoded: { sha256: string; bytes: Uint8Array }, value: unknown) => {
    stored.push(value);
    return Promise.resolve(valueRefOf(encoded.sha256, encoded.bytes.length));
  };

  it('passes a scope of few values through without measuring or storing it', async () => {
    const scope = scopeOf(5, Limits.inlineValueBytes - 10);
    const fitted = await fitTaskScope(scope, put);
    expect(fitted.scope).toBe(scope);
    expect(fitted.scopeRef).toBeUndefined();
    expect(stored).toHaveLength(0);
  });

  it('passes many small values after one measure', async () => {
    const scope = scopeOf(100, 10);
    expect((await fitTaskScope(scope, put)).scope).toBe(scope);
    expect(stored).toHaveLength(0);
  });

  it('stores a scope over budget as one value; the task keeps only the execution', async () => {
    const scope = scopeOf(20, Limits.inlineValueBytes - 10);
    const fitted = await fitTaskScope(scope, put);
    expect(fitted.scope).toEqual({ input: null, nodes: {}, execution });
    expect(fitted.scopeRef?.size).toBeGreaterThan(TASK_SCOPE_BUDGET_BYTES);
    expect(stored).toEqual([scope]);
  });
});
