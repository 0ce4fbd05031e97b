import jsonata from 'jsonata';
import { classifyExpression } from './expression.classifier';
import { clearExpressionCache, compileExpression } from './expression.compiler';

const where = (source: string) => classifyExpression(jsonata(source));

describe('classifyExpression', () => {
  it.each([
    'input',
    '$uppercase(input.name)',
    '$length(nodes.shout.output) > 3',
    'nodes.join.output.total > input.threshold',
    '{ "total": nodes.fetch_a.output.body.score + nodes.fetch_b.output.body.score, "customer": input.customer }',
    '$input.amount * 2 - 1',
    'input.items[price > 2].sku',
    'input.items[0]',
    'input.items.(sku & ":" & price)',
    'input.items{sku: price}',
    'input.flag ? "yes" : "no"',
    'input.a ?? 3',
    '[1, 2, input.x]',
    '$count(input.items) = 0 and $not($exists(input.y)) or input.z in ["a", "b"]',
    '$join(input.items.sku, ",")',
    '$sum(input.items.price)',
    '$keys(input)',
    '$string($now())',
    '$$.input.name',
    '"literal"',
    '-input.n',
    '(input.a; input.b)',
    'input.*',
  ])('%s runs in-thread', (source) => {
    expect(where(source)).toBe('in-thread');
  });

  it.each([
    '$count($sort([1..100000]))',
    '[1..10]',
    '$sort(input.items)',
    '$distinct(input.items)',
    '$match(input.s, /(a+)+$/)',
    '$replace(input.s, "a", "b")',
    '$split(input.s, ",")',
    '$pad("x", 2000000)',
    '$eval(input.code)',
    '$contains(input.s, /a+/)',
    '/ab/',
    'function($x) { $x }',
    '$map(input.items, function($v) { $v })',
    '$f := 1',
    '($f := function($x) { $f($x) }; $f(1))',
    'input.items^(price)',
    'input.a ~> $uppercase',
    '**.a',
    'input.a.%.b',
    'input.items@$i',
    'input.items#$i',
    '$unknownFunction(input)',
    '$now("[Y0001]")',
    '$string',
    'input.items.($input.items)',
    'input.items[$count($nodes) > 1]',
    'input.items.$$.input',
    '$ ~> | $ | {"a": 1} |',
    '$formatNumber(input.n, "#,##0")',
  ])('%s goes to the worker', (source) => {
    expect(where(source)).toBe('worker');
  });

  it('is recorded once on the compiled expression', () => {
    clearExpressionCache();
    expect(compileExpression('input').runsIn).toBe('in-thread');
    expect(compileExpression('$count($sort([1..100000]))').runsIn).toBe('worker');
  });
});
