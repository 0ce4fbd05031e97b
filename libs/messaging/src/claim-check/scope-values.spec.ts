import { valueRefOf, type EvaluationScope, type ValueRef } from '@flowstack/contracts';
import { resolveScope, scopeHasRefs } from './scope-values';

const execution = { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: '2026-01-01T00:00:00.000Z' };
const refA = valueRefOf('a'.repeat(64), 70_000);
const refB = valueRefOf('b'.repeat(64), 80_000);
const values = new Map<string, unknown>([
  [refA.sha256, { big: 'A' }],
  [refB.sha256, 'B'],
]);
const resolve = (ref: ValueRef): Promise<unknown> =>
  values.has(ref.sha256) ? Promise.resolve(values.get(ref.sha256)) : Promise.reject(new Error(`missing ${ref.sha256}`));

describe('resolving a scope', () => {
  it('returns the very same scope when it holds no reference (nothing copied, nothing read)', async () => {
    const scope: EvaluationScope = { input: { x: 1 }, nodes: { a: { output: [1] }, b: { output: 'y' } }, execution };
    expect(scopeHasRefs(scope)).toBe(false);
    let reads = 0;
    expect(await resolveScope(scope, () => (reads++, Promise.resolve(null)))).toBe(scope);
    expect(reads).toBe(0);
  });

  it('resolves the input and node outputs, keeping the graph order of nodes', async () => {
    const scope: EvaluationScope = {
      input: refB,
      nodes: { first: { output: refA }, second: { output: 2 }, third: { output: refB } },
      execution,
    };
    expect(scopeHasRefs(scope)).toBe(true);
    const resolved = await resolveScope(scope, resolve);
    expect(resolved).toEqual({
      input: 'B',
      nodes: { first: { output: { big: 'A' } }, second: { output: 2 }, third: { output: 'B' } },
      execution,
    });
    expect(Object.keys(resolved.nodes)).toEqual(['first', 'second', 'third']);
    expect(scope.nodes.first.output).toBe(refA); // the original is untouched
  });

  it('does not look inside values: only whole outputs and the input are references', () => {
    const nested: EvaluationScope = { input: { inner: refA }, nodes: { a: { output: [refA] } }, execution };
    expect(scopeHasRefs(nested)).toBe(false);
  });

  it('rejects when a value cannot be read, whichever fails', async () => {
    const missing = valueRefOf('c'.repeat(64), 1);
    await expect(resolveScope({ input: missing, nodes: { a: { output: missing } }, execution }, resolve)).rejects.toThrow(
      /missing/,
    );
  });
});
