import { compileTemplate, findTemplateErrors } from './template.compiler';

describe('compileTemplate', () => {
  it('marks a template that is exactly one expression (whitespace around allowed)', () => {
    expect(compileTemplate('  {{ input }}\n').single?.source).toBe(' input ');
    expect(compileTemplate('x{{ input }}').single).toBeUndefined();
    expect(compileTemplate('{{ a }}{{ b }}').single).toBeUndefined();
  });

  it('is cached by source', () => {
    expect(compileTemplate('hi {{ input.name }}')).toBe(compileTemplate('hi {{ input.name }}'));
  });

  it('reports a non-compiling expression at its position in the template', () => {
    expect(() => compileTemplate('abc {{ input.( }}')).toThrow(
      expect.objectContaining({ code: 'expression_syntax', position: 15 }) as Error,
    );
  });
});

describe('findTemplateErrors', () => {
  it('returns [] for valid templates and non-templates', () => {
    expect(findTemplateErrors({ a: 'x {{ input }}', b: [1, null, '{{ $now() }}'], c: 'no markers' }, 'config')).toEqual([]);
  });

  it('locates every broken template, not its keys', () => {
    const value = { '{{ key }}': 'fine', list: ['{{ ( }}', 'ok'], 'Content-Type': 'a {{ b', nested: { deep: '{{}}' } };
    expect(findTemplateErrors(value, 'config.value')).toEqual([
      expect.objectContaining({
        path: 'config.value.list[0]',
        rule: 'invalid_template',
        message: expect.stringContaining('does not compile'),
      }),
      expect.objectContaining({
        path: 'config.value["Content-Type"]',
        rule: 'invalid_template',
        message: expect.stringContaining('never closed'),
      }),
      expect.objectContaining({
        path: 'config.value.nested.deep',
        rule: 'invalid_template',
        message: expect.stringContaining('empty'),
      }),
    ]);
  });
});
