import { clearExpressionCache, compileExpression, EXPRESSION_CACHE_CAPACITY } from './expression.compiler';
import { ExpressionError } from './expression.error';

describe('compileExpression', () => {
  beforeEach(() => clearExpressionCache());

  it('returns the very same compiled object for the same source', () => {
    const first = compileExpression('input.a + 1');
    expect(compileExpression('input.a + 1')).toBe(first);
    expect(compileExpression('input.a + 2')).not.toBe(first);
  });

  it('evicts the least recently used source beyond its capacity', () => {
    const keep = compileExpression('"keep"');
    const evicted = compileExpression('"evicted"');
    for (let i = 0; i < EXPRESSION_CACHE_CAPACITY - 2; i++) compileExpression(String(i));
    compileExpression('"keep"'); // touch: now the most recent
    compileExpression('"one more"');
    expect(compileExpression('"keep"')).toBe(keep);
    expect(compileExpression('"evicted"')).not.toBe(evicted);
  });

  it.each<[string, number, string]>([
    ['input.(', 7, 'Expected ")" before end of expression'],
    ['a b', 3, 'Syntax error: "b"'],
    ['"open', 5, 'String literal must be terminated by a matching quote'],
    ['', 0, 'Unexpected end of expression'],
  ])('%j is an expression_syntax error at %i', (source, position, reason) => {
    let error: unknown;
    try {
      compileExpression(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error).toMatchObject({ code: 'expression_syntax', position, details: { reason, source } });
  });
});
