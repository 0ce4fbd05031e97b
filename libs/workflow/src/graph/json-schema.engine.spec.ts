import { exampleGraph } from './graph.fixtures';
import { validateGraph } from './graph.validator';
import { createSchemaAjv, schemaDialect } from './json-schema.engine';

describe('input_schema patterns run on RE2 (issue 7 row 8)', () => {
  it('a backreference is refused at save, at the pattern', () => {
    const input_schema = { type: 'object', properties: { code: { type: 'string', pattern: '^(a)\\1$' } } };
    expect(validateGraph({ ...exampleGraph(), input_schema })).toEqual([
      expect.objectContaining({
        rule: 'invalid_input_schema',
        path: 'input_schema.properties.code.pattern',
        message: expect.stringContaining('RE2'),
      }),
    ]);
  });

  it('a lookahead in patternProperties is refused at its key', () => {
    const input_schema = { type: 'object', patternProperties: { '^x(?=y)': { type: 'string' } } };
    expect(validateGraph({ ...exampleGraph(), input_schema })).toEqual([
      expect.objectContaining({ path: 'input_schema.patternProperties["^x(?=y)"]' }),
    ]);
  });

  it('accepts patterns RE2 runs (catastrophic ones for a backtracking engine too), and ignores data keywords', () => {
    const input_schema = {
      type: 'object',
      properties: {
        a: { type: 'string', pattern: '^(a+)+$' },
        b: { type: 'string', pattern: '^(?<year>\\d{4})-\\p{L}+$' },
        c: { type: 'object', default: { pattern: '(a)\\1' }, enum: [{ pattern: '(?=x)' }] },
      },
    };
    expect(validateGraph({ ...exampleGraph(), input_schema })).toEqual([]);
  });

  it('matches in linear time: 40 "a"s and "!" against ^(a+)+$ (2^40 steps for a backtracking engine)', () => {
    const validate = createSchemaAjv('draft-07').compile({ type: 'string', pattern: '^(a+)+$' });
    expect(validate(`${'a'.repeat(40)}!`)).toBe(false);
    expect(validate('a'.repeat(40))).toBe(true);
  });

  it('reads the dialect from $schema', () => {
    expect(schemaDialect({ $schema: 'https://json-schema.org/draft/2020-12/schema' })).toBe('2020-12');
    expect(schemaDialect({ $schema: 'http://json-schema.org/draft-07/schema#' })).toBe('draft-07');
    expect(schemaDialect({})).toBe('draft-07');
  });
});
