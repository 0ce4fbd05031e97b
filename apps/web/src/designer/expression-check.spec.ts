import jsonata from 'jsonata';
import { expressionError, templateError } from './expression-check';

const compile = (s: string) => jsonata(s);

describe('live expression and template checks', () => {
  it('passes valid JSONata and reports a syntax error with its position', () => {
    expect(expressionError(compile, 'input.x > 1')).toBeUndefined();
    expect(expressionError(compile, '')).toBeUndefined();
    expect(expressionError(compile, 'input.x >')).toMatch(/position \d+/);
  });

  it('checks every {{ }} part of a template', () => {
    expect(templateError(compile, 'https://x/{{ input.city }}?q={{ $string(input.n) }}')).toBeUndefined();
    expect(templateError(compile, 'a \\{{ literal')).toBeUndefined();
    expect(templateError(compile, 'a {{ input.city ')).toMatch(/never closed/);
    expect(templateError(compile, 'a {{  }}')).toMatch(/empty/);
    expect(templateError(compile, 'a {{ input.( }}')).toMatch(/position/);
  });
});
