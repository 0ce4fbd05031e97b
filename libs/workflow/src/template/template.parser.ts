import { ExpressionError } from '../expression/expression.error';

/** A piece of a template string: literal text (escapes resolved) or a `{{ }}` expression. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | {
      kind: 'expression';
      /** The JSONata source between the braces, untrimmed. */
      source: string;
      /** Offset of `source` in the template, to report positions relative to the template. */
      offset: number;
    };

/**
 * Splits a template into text and `{{ <JSONata> }}` parts. `\{{` is a literal `{{` (the backslash
 * is dropped; any other backslash is kept). The closing `}}` is the first one at brace depth zero
 * outside string literals, backtick names and comments, so `{{ {"a": {"b": "}}"}} }}` is one
 * expression. (A regex literal containing `}}` is not recognised: JSONata's `/` is ambiguous
 * without a full parser; write such a pattern with `\}` instead.)
 *
 * Throws `ExpressionError` `template_syntax` for an unterminated or empty `{{ }}`.
 */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
    } else if (template.startsWith('{{', i)) {
      const start = i + 2;
      const end = findClosing(template, start);
      if (end < 0) {
        throw new ExpressionError('template_syntax', `"{{" at position ${i} is never closed by "}}"`, {
          position: i,
          source: template,
        });
      }
      const source = template.slice(start, end);
      if (source.trim() === '') {
        throw new ExpressionError('template_syntax', `empty "{{ }}" at position ${i}`, { position: i, source: template });
      }
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'expression', source, offset: start });
      i = end + 2;
    } else {
      // Copy the run up to the next possible marker in one slice.
      const next = nextMarker(template, i + 1);
      text += template.slice(i, next);
      i = next;
    }
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

function nextMarker(template: string, from: number): number {
  const brace = template.indexOf('{{', from);
  const escape = template.indexOf('\\{{', from);
  const candidates = [brace, escape].filter((n) => n >= 0);
  return candidates.length === 0 ? template.length : Math.min(...candidates);
}

/** Index of the `}}` that closes an expression starting at `start`, or -1. */
function findClosing(template: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < template.length) {
    const c = template[i];
    if (c === '"' || c === "'") {
      i = skipString(template, i, c);
    } else if (c === '`') {
      i = skipUntil(template, i + 1, '`');
    } else if (c === '/' && template[i + 1] === '*') {
      i = skipUntil(template, i + 2, '*/');
    } else if (c === '{') {
      depth += 1;
      i += 1;
    } else if (c === '}') {
      if (depth === 0 && template[i + 1] === '}') return i;
      // A lone `}` at depth zero is a syntax error that JSONata itself will report.
      if (depth > 0) depth -= 1;
      i += 1;
    } else {
      i += 1;
    }
    if (i < 0) return -1;
  }
  return -1;
}

/** Index just past the string literal opened at `open`, or -1 when it never closes. */
function skipString(template: string, open: number, quote: string): number {
  for (let i = open + 1; i < template.length; i++) {
    if (template[i] === '\\') i += 1;
    else if (template[i] === quote) return i + 1;
  }
  return -1;
}

function skipUntil(template: string, from: number, terminator: string): number {
  const at = template.indexOf(terminator, from);
  return at < 0 ? -1 : at + terminator.length;
}
