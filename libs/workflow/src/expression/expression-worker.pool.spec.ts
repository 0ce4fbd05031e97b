import { ExpressionWorkerPool, type WorkerEvaluation } from './expression-worker.pool';
import { ExpressionError } from './expression.error';
import { evaluateExpression } from './expression.evaluator';
import { closeExpressionSandbox } from './expression.sandbox';
import { renderTemplate } from '../template/template.renderer';

const job = (source: string, more: Partial<WorkerEvaluation> = {}): WorkerEvaluation => ({
  source,
  scope: { input: { name: 'Ada', items: [{ price: 2 }, { price: 3 }] } },
  timeoutMs: 1000,
  maxDepth: 200,
  maxOutputBytes: 16 * 1024 * 1024,
  ...more,
});

const failure = async (promise: Promise<unknown>): Promise<ExpressionError> => {
  const error: unknown = await promise.then(
    () => new Error('expected the evaluation to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof ExpressionError)) throw error;
  return error;
};

describe('ExpressionWorkerPool', () => {
  const pool = new ExpressionWorkerPool({ workers: 2 });
  afterAll(() => pool.close());

  it('evaluates in a worker and answers plain JSON', async () => {
    await expect(pool.evaluate(job('$sort(input.items.price, function($a, $b) { $a < $b })'))).resolves.toEqual([3, 2]);
    await expect(pool.evaluate(job('input.missing'))).resolves.toBeUndefined();
    await expect(pool.evaluate(job('{ "f": $string, "n": [1, function($x) { $x }] }'))).resolves.toStrictEqual({ n: [1, null] });
  });

  it('stops one long built-in step (issue 7 row 4) by killing its worker, while another evaluation completes', async () => {
    const hostile = pool.evaluate(job('$count($sort([1..100000]))', { timeoutMs: 300 }));
    const quick = pool.evaluate(job('$map(input.items, function($i) { $i.price * 2 })'));
    await expect(quick).resolves.toEqual([4, 6]);
    expect(['expression_timeout', 'expression_memory']).toContain((await failure(hostile)).code);
    // The worker was replaced: the pool goes on.
    await expect(pool.evaluate(job('$uppercase(input.name) & "!"'))).resolves.toBe('ADA!');
  });

  it('stops an endless loop of small steps at its CPU budget', async () => {
    const error = await failure(pool.evaluate(job('($f := function($x) { $f($x) }; $f(1))', { timeoutMs: 100 })));
    expect(error).toMatchObject({ code: 'expression_timeout', retryable: false });
  });

  it('keeps the depth bound', async () => {
    const error = await failure(pool.evaluate(job('($f := function($x) { 1 + $f($x) }; $f(1))')));
    expect(error.code).toBe('expression_depth');
  });

  it('refuses a result larger than its output bound with output_too_large', async () => {
    const error = await failure(pool.evaluate(job('$pad("x", 5000)', { maxOutputBytes: 1000 })));
    expect(error.code).toBe('output_too_large');
  });

  it('maps JSONata errors like the in-thread evaluator', async () => {
    const error = await failure(pool.evaluate(job('$eval("1 +")')));
    expect(error).toMatchObject({ code: 'expression_error', details: { jsonataCode: expect.any(String) } });
  });

  it('refuses a scope that is not data', async () => {
    const error = await failure(pool.evaluate(job('input', { scope: { input: () => 1 } })));
    expect(error.code).toBe('expression_error');
  });
});

describe('ExpressionWorkerPool fairness', () => {
  const one = new ExpressionWorkerPool({ workers: 1 });
  afterAll(() => one.close());

  it("serves waiting workspaces in turn: one tenant's flood does not queue another behind all of it", async () => {
    const settled: string[] = [];
    const track = (name: string, promise: Promise<unknown>) =>
      promise.then(
        () => settled.push(name),
        () => settled.push(name),
      );
    const slow = (name: string) =>
      track(name, one.evaluate(job('($f := function($x) { $f($x) }; $f(1))', { timeoutMs: 150, fairnessKey: 'mallory' })));
    const runs = [slow('m1'), slow('m2'), slow('m3')];
    runs.push(track('v1', one.evaluate(job('$count([1..3])', { fairnessKey: 'victim' }))));
    await Promise.all(runs);
    expect(settled.indexOf('v1')).toBeLessThan(settled.indexOf('m3'));
  });
});

describe('ExpressionWorkerPool memory bound', () => {
  const small = new ExpressionWorkerPool({ workers: 1, maxOldGenerationSizeMb: 32, maxSemiSpaceSizeMb: 4 });
  afterAll(() => small.close());

  it('an evaluation past the heap cap fails with expression_memory and the next one runs', async () => {
    // One allocation far larger than the heap left: in a worker thread this aborts the whole process.
    const error = await failure(small.evaluate(job('($a := [1..10000000]; $count($append($a, $a)))', { timeoutMs: 20_000 })));
    expect(error.code).toBe('expression_memory');
    await expect(small.evaluate(job('$count([1..10])'))).resolves.toBe(10);
  });
});

describe('evaluateExpression routes what may run long to the sandbox', () => {
  afterAll(() => closeExpressionSandbox());

  it('issue 7 row 4 fails its evaluation instead of taking the process', async () => {
    const error = await failure(evaluateExpression('$count($sort([1..100000]))', {}));
    expect(['expression_timeout', 'expression_memory']).toContain(error.code);
    await expect(evaluateExpression('$count([1..1000])', {})).resolves.toBe(1000);
  });

  it("so do templates (the tool-runner's http config): the failing part is located, the linear parts stay in-thread", async () => {
    const template = { url: 'https://x/{{ input.id }}', body: { n: '{{ $count($sort([1..100000])) }}' } };
    const error = await failure(renderTemplate(template, { input: { id: 7 } }, { timeoutMs: 300 }));
    expect(['expression_timeout', 'expression_memory']).toContain(error.code);
    expect(error.details.path).toBe('body.n');
    await expect(
      renderTemplate({ url: 'https://x/{{ input.id }}', n: '{{ $count([1..3]) }}' }, { input: { id: 7 } }),
    ).resolves.toEqual({
      url: 'https://x/7',
      n: 3,
    });
  });
});
