import { Limits, valueRefOf, type EvaluationScope } from '@flowstack/contracts';
import { fitTaskScope, jsonBytesOf, scopeBytesBound, TASK_SCOPE_BUDGET_BYTES } from './task-scope.fit';

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

  it('passes a scope just under budget, and stores one just over it', async () => {
    const mine: unknown[] = [];
    const keep = (encoded: { sha256: string; bytes: Uint8Array }, value: unknown) => {
      mine.push(value);
      return Promise.resolve(valueRefOf(encoded.sha256, encoded.bytes.length));
    };
    // 12 outputs of 60,000 bytes and the input: past the count shortcut (12 x 64 KiB), under budget by their sizes.
    const under = scopeOf(12, 60_000);
    expect(Buffer.byteLength(JSON.stringify(under))).toBeLessThan(TASK_SCOPE_BUDGET_BYTES);
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect((await fitTaskScope(under, keep)).scope).toBe(under);
      // Measured from its values: the scope as a whole is not serialized (nor hashed) for it.
      expect(stringify.mock.calls.some(([v]) => v === under)).toBe(false);
    } finally {
      stringify.mockRestore();
    }
    const over = scopeOf(14, 60_000);
    expect(Buffer.byteLength(JSON.stringify(over))).toBeGreaterThan(TASK_SCOPE_BUDGET_BYTES);
    expect((await fitTaskScope(over, keep)).scopeRef).toBeDefined();
    expect(mine).toEqual([over]);
  });

  it('stores a scope over budget as one value; the task keeps only the execution', async () => {
    const scope = scopeOf(20, Limits.inlineValueBytes - 10);
    const fitted = await fitTaskScope(scope, put);
    expect(fitted.scope).toEqual({ input: null, nodes: {}, execution });
    expect(fitted.scopeRef?.size).toBeGreaterThan(TASK_SCOPE_BUDGET_BYTES);
    expect(stored).toEqual([scope]);
  });
});

describe('the bound on a scope size', () => {
  const cases: Array<[string, EvaluationScope]> = [
    ['strings', scopeOf(30, 100)],
    [
      'objects, nulls and an undefined output',
      {
        input: { a: [1, 2, { b: 'é€😀' }] },
        nodes: { 'ü"d': { output: { deep: { x: 'y\n' } } }, n: { output: null }, u: { output: undefined } },
        execution,
      },
    ],
    ['no nodes', { input: 'x', nodes: {}, execution }],
  ];

  it.each(cases)('is never below the JSON bytes of the scope (%s)', (_, scope) => {
    const exact = Buffer.byteLength(JSON.stringify(scope), 'utf8');
    expect(scopeBytesBound(scope)).toBeGreaterThanOrEqual(exact);
    // Tight enough to decide: punctuation at most, not a multiple.
    expect(scopeBytesBound(scope)).toBeLessThanOrEqual(exact + 16 * (Object.keys(scope.nodes).length + 1));
  });

  it('measures each output once, however many tasks carry it', () => {
    const output = { big: 'x'.repeat(1000) };
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 10; i++) jsonBytesOf(output);
      expect(stringify.mock.calls.filter(([v]) => v === output)).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
  });
});
