import type { EvaluationScope } from '@flowstack/contracts';
import { ExpressionError } from '../expression/expression.error';
import { renderTemplate } from './template.renderer';
import { closeExpressionSandbox } from '../expression/expression.sandbox';

// Expressions that may run long are evaluated in the sandbox's worker processes: stop them.
afterAll(() => closeExpressionSandbox());

const scope: EvaluationScope = {
  input: { name: 'Ada', count: 3, flag: false, tags: ['x', 'y'], address: { city: 'Paris' }, nothing: null },
  nodes: { fetch: { output: { status: 200, body: { items: [1, 2] } } } },
  execution: { id: 'exec_9', workflowId: 'wf', workflowVersion: 1, startedAt: '2025-01-01T00:00:00.000Z' },
};

describe('renderTemplate: a single expression yields the value itself', () => {
  it.each<[string, unknown]>([
    ['{{ input.count }}', 3],
    ['{{ input.flag }}', false],
    ['{{ input.address }}', { city: 'Paris' }],
    ['{{ input.tags }}', ['x', 'y']],
    ['{{ input.nothing }}', null],
    ['  {{ nodes.fetch.output.body }}\n', { items: [1, 2] }],
    ['{{ {"n": input.count, "who": $input.name} }}', { n: 3, who: 'Ada' }],
  ])('%s', async (template, expected) => {
    expect(await renderTemplate(template, scope)).toEqual(expected);
  });

  it('a missing value stays undefined', async () => {
    expect(await renderTemplate('{{ input.missing }}', scope)).toBeUndefined();
  });
});

describe('renderTemplate: text', () => {
  it('stringifies values inside text: objects as JSON, null and undefined as empty', async () => {
    const template =
      'n={{ input.count }} f={{ input.flag }} a={{ input.address }} t={{ input.tags }} z={{ input.nothing }} m={{ input.missing }}.';
    expect(await renderTemplate(template, scope)).toBe('n=3 f=false a={"city":"Paris"} t=["x","y"] z= m=.');
  });

  it('returns strings without markers unchanged, and resolves \\{{ escapes', async () => {
    expect(await renderTemplate('no } markers {', scope)).toBe('no } markers {');
    expect(await renderTemplate('\\{{ input.name }} is {{ input.name }}', scope)).toBe('{{ input.name }} is Ada');
  });

  it('allows } inside string literals and object constructors', async () => {
    expect(await renderTemplate('{{ "}}" & input.name & "{" }}', scope)).toBe('}}Ada{');
    expect(await renderTemplate('x{{ {"a": {"b": "}"}} }}', scope)).toBe('x{"a":{"b":"}"}}');
  });
});

describe('renderTemplate: structures', () => {
  it('renders nested objects and arrays, not keys, and passes other scalars through', async () => {
    const template = {
      '{{ key }}': 'url: {{ execution.id }}',
      list: ['{{ input.count }}', 7, true, null, { deep: '{{ input.tags }}' }],
      headers: { Authorization: 'Bearer {{ secrets.token }}' },
    };
    expect(await renderTemplate(template, { ...scope, secrets: { token: 's3' } })).toEqual({
      '{{ key }}': 'url: exec_9',
      list: [3, 7, true, null, { deep: ['x', 'y'] }],
      headers: { Authorization: 'Bearer s3' },
    });
  });

  it('does not mutate the template', async () => {
    const template = { a: ['{{ input.count }}'] };
    await renderTemplate(template, scope);
    expect(template).toEqual({ a: ['{{ input.count }}'] });
  });
});

describe('renderTemplate: errors', () => {
  const failure = async (template: unknown, limits?: { timeoutMs?: number }): Promise<ExpressionError> => {
    const error: unknown = await renderTemplate(template, scope, limits).then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    if (!(error instanceof ExpressionError)) throw error;
    return error;
  };

  it('a syntax error names its place in the value and its position in the template', async () => {
    const error = await failure({ headers: { 'X-A': 'a {{ input. }}' } });
    expect(error.code).toBe('expression_syntax');
    expect(error.details.path).toBe('headers["X-A"]');
    expect(error.message).toMatch(/^headers\["X-A"\]: template expression does not compile at position \d+/);
  });

  it('an unterminated {{ is template_syntax', async () => {
    expect((await failure('a {{ b')).code).toBe('template_syntax');
  });

  it('a runtime error is expression_error', async () => {
    await expect(failure(['{{ input.name * 2 }}'])).resolves.toMatchObject({
      code: 'expression_error',
      details: { path: '[0]' },
    });
  });

  it('the timeout bounds the whole render, not each expression', async () => {
    const part = '{{ $count([1..1500].($string($))) }}';
    await expect(renderTemplate(part, scope, { timeoutMs: 60_000 })).resolves.toBe(1500);
    // The bound comes from what one part takes on this machine now (the quickest of three): a fixed
    // 200 ms let ten parts fit on an idle machine ('expected a failure' on fresh clones) and could
    // refuse one part on a loaded one. One part fits in it four times over; a hundred do not.
    let one = Infinity;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await renderTemplate(part, scope, { timeoutMs: 60_000 });
      one = Math.min(one, performance.now() - started);
    }
    const error = await failure(
      Array.from({ length: 100 }, () => part),
      { timeoutMs: Math.max(5, Math.ceil(4 * one)) },
    );
    expect(error.code).toBe('expression_timeout');
  });
});
