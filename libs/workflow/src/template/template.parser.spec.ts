import { ExpressionError } from '../expression/expression.error';
import { parseTemplate } from './template.parser';

describe('parseTemplate', () => {
  it('splits text and expressions, with source offsets', () => {
    expect(parseTemplate('Hi {{ input.name }}, you owe {{input.amount}}.')).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'expression', source: ' input.name ', offset: 5 },
      { kind: 'text', text: ', you owe ' },
      { kind: 'expression', source: 'input.amount', offset: 31 },
      { kind: 'text', text: '.' },
    ]);
  });

  it('reads text without markers as one part', () => {
    expect(parseTemplate('plain } text {')).toEqual([{ kind: 'text', text: 'plain } text {' }]);
  });

  it('treats \\{{ as a literal {{ and keeps other backslashes', () => {
    expect(parseTemplate('\\{{ not }} a\\b {{ x }}')).toEqual([
      { kind: 'text', text: '{{ not }} a\\b ' },
      { kind: 'expression', source: ' x ', offset: 17 },
    ]);
  });

  it.each<[string, string]>([
    ['{{ {"a": {"b": 1}} }}', ' {"a": {"b": 1}} '],
    ['{{{"a": 1}}}', '{"a": 1}'],
    ['{{ "}}" & \'}}\' }}', ' "}}" & \'}}\' '],
    ['{{ "say \\"}}\\"" }}', ' "say \\"}}\\"" '],
    ['{{ `odd}}name` }}', ' `odd}}name` '],
    ['{{ 1 /* }} */ }}', ' 1 /* }} */ '],
  ])('finds the balancing }} in %s', (template, source) => {
    expect(parseTemplate(template)).toEqual([{ kind: 'expression', source, offset: template.indexOf(source) }]);
  });

  it.each<[string, number]>([
    ['a {{ input.name', 2],
    ['{{ "}} }}', 0],
    ['x {{   }} y', 2],
  ])('rejects %j as template_syntax at %i', (template, position) => {
    expect(() => parseTemplate(template)).toThrow(ExpressionError);
    try {
      parseTemplate(template);
    } catch (error) {
      expect(error).toMatchObject({ code: 'template_syntax', position });
    }
  });
});
