import type { EvaluationScope } from '@flowstack/contracts';
import { compileExpression } from './expression.compiler';
import { ExpressionError } from './expression.error';
import { evaluateCompiled, evaluateExpression } from './expression.evaluator';
import { closeExpressionSandbox } from './expression.sandbox';

// Expressions that may run long are evaluated in the sandbox's worker processes: stop them.
afterAll(() => closeExpressionSandbox());

const scope: EvaluationScope = {
  input: {
    name: 'Ada',
    amount: 120,
    items: [
      { sku: 'a', price: 2 },
      { sku: 'b', price: 3.5 },
    ],
  },
  nodes: { fetch_a: { output: { status: 200, body: { value: 7 } } }, fetch_b: { output: { body: { value: 5 } } } },
  execution: { id: 'exec_1', workflowId: 'wf_1', workflowVersion: 3, startedAt: '2025-01-01T00:00:00.000Z' },
};

const failure = async (promise: Promise<unknown>): Promise<ExpressionError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected the evaluation to fail');
};

describe('evaluateExpression: reading the scope', () => {
  it.each<[string, unknown]>([
    ['input.name', 'Ada'],
    ['nodes.fetch_a.output.body.value', 7],
    ['execution.id', 'exec_1'],
    ['$input.amount', 120],
    ['$nodes.fetch_b.output.body.value', 5],
    ['$execution.workflowVersion', 3],
    // Inside a nested path the context has moved; the bound variables still reach the scope.
    ['input.items.($input.name & ":" & sku)', ['Ada:a', 'Ada:b']],
    ['input.missing', undefined],
  ])('%s', async (source, expected) => {
    expect(await evaluateExpression(source, scope)).toEqual(expected);
  });

  it('computes arithmetic, string functions and objects', async () => {
    expect(await evaluateExpression('nodes.fetch_a.output.body.value * 2 + 1', scope)).toBe(15);
    expect(await evaluateExpression('$sum(input.items.price)', scope)).toBe(5.5);
    expect(await evaluateExpression('$uppercase(input.name) & "!"', scope)).toBe('ADA!');
    expect(await evaluateExpression('$join(input.items.sku, ",")', scope)).toBe('a,b');
    expect(
      await evaluateExpression('{ "who": input.name, "total": $sum(input.items.price), "big": input.amount > 100 }', scope),
    ).toEqual({
      who: 'Ada',
      total: 5.5,
      big: true,
    });
  });

  it('works on any record scope (the tool-runner adds secrets)', async () => {
    expect(await evaluateExpression('"Bearer " & secrets.token', { ...scope, secrets: { token: 't0k' } })).toBe('Bearer t0k');
    expect(await evaluateExpression('a + b', { a: 1, b: 2 })).toBe(3);
  });

  it('returns plain JSON: no sequence flags, no null prototypes, no functions', async () => {
    const list = await evaluateExpression('input.items.price', scope);
    expect(Object.getOwnPropertyNames(list)).toEqual(['0', '1', 'length']);
    const object = await evaluateExpression('{ "a": 1 }', scope);
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(await evaluateExpression('function($x) { $x }', scope)).toBeUndefined();
    expect(await evaluateExpression('{ "f": $string, "n": 1 }', scope)).toStrictEqual({ n: 1 });
  });
});

describe('evaluateExpression: errors', () => {
  it('a syntax error is expression_syntax with its position', async () => {
    const error = await failure(evaluateExpression('input.name &', scope));
    expect(error.code).toBe('expression_syntax');
    expect(error.position).toBe(12);
    expect(error.message).toBe('syntax error at position 12: Unexpected end of expression');
    expect(error.retryable).toBe(false);
  });

  it("a runtime error is expression_error, with JSONata's code", async () => {
    const error = await failure(evaluateExpression('input.name + 1', scope));
    expect(error.code).toBe('expression_error');
    expect(error.details.jsonataCode).toBe('T2001');
    expect(error.toNodeError()).toMatchObject({ code: 'expression_error', retryable: false });
  });

  it('$error() is expression_error with the user message', async () => {
    const error = await failure(evaluateExpression('$error("amount too large")', scope));
    expect(error).toMatchObject({ code: 'expression_error', message: expect.stringContaining('amount too large') });
  });
});

describe('evaluateExpression: time and depth bounds', () => {
  it('stops runaway recursion with expression_depth', async () => {
    const started = Date.now();
    const error = await failure(evaluateExpression('($f := function($x) { 1 + $f($x) }; $f(1))', scope));
    expect(error.code).toBe('expression_depth');
    // The codes prove the bounds fired; the elapsed times only that nothing ran on for long. They
    // are loose because CI's loaded machine has stalled this process for 1.5 s (a 100 ms timeout).
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops an endless tail-recursive loop (constant depth) with expression_timeout', async () => {
    const started = Date.now();
    const error = await failure(evaluateExpression('($f := function($x) { $f($x) }; $f(1))', scope, { timeoutMs: 100 }));
    expect(error.code).toBe('expression_timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops a long loop at the default timeout of one second', async () => {
    const started = Date.now();
    const error = await failure(evaluateExpression('$count([1..10000000].($ * 2))', scope));
    expect(error.code).toBe('expression_timeout');
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('is not fooled by $eval wrapping the first throw', async () => {
    const error = await failure(evaluateExpression('$eval("($f := function($x) { $f($x) }; $f(1))")', scope, { timeoutMs: 50 }));
    expect(error.code).toBe('expression_timeout');
  });

  it('honours a custom maxDepth, and allows what fits under it', async () => {
    const recurse = '($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(input))';
    // A depth test: the wall-clock guard (1 s by default) must not decide it when the shared machine
    // stalls this process for a second (seen under load), so time is taken out of the question.
    expect(await evaluateExpression(recurse, { input: 20 }, { maxDepth: 1000, timeoutMs: 60_000 })).toBe(20);
    expect((await failure(evaluateExpression(recurse, { input: 20 }, { maxDepth: 30, timeoutMs: 60_000 }))).code).toBe(
      'expression_depth',
    );
  });

  it('a runaway does not affect a concurrent evaluation of the same compiled expression', async () => {
    const compiled = compileExpression('($f := function($n) { $n <= 0 ? "done" : $f($n - 1) }; $f(input))');
    const [runaway, quick] = await Promise.allSettled([
      evaluateCompiled(compiled, { input: 1e12 }, { timeoutMs: 50 }),
      evaluateCompiled(compiled, { input: 3 }, { timeoutMs: 5000 }),
    ]);
    expect(runaway).toMatchObject({ status: 'rejected', reason: { code: 'expression_timeout' } });
    expect(quick).toEqual({ status: 'fulfilled', value: 'done' });
  });
});

describe('evaluateExpression: concurrency', () => {
  it('50 parallel evaluations of one cached expression see their own scopes', async () => {
    const source =
      '($wait := function($n) { $n <= 0 ? input.id : $wait($n - 1) }; { "id": $wait(input.spin), "double": $input.id * 2 })';
    const runs = Array.from({ length: 50 }, (_, id) => evaluateExpression(source, { input: { id, spin: (id * 7) % 13 } }));
    const results = await Promise.all(runs);
    expect(results).toEqual(Array.from({ length: 50 }, (_, id) => ({ id, double: id * 2 })));
  });
});
