import type { FieldError } from '@flowstack/contracts';
import { compileExpression, type CompiledExpression } from '../expression/expression.compiler';
import { ExpressionError } from '../expression/expression.error';
import { LruCache } from '../expression/lru.cache';
import { childPath, isPlainObject } from '../field-path';
import { parseTemplate } from './template.parser';

export type CompiledTemplatePart =
  { kind: 'text'; text: string } | { kind: 'expression'; expression: CompiledExpression; offset: number };

/** A parsed template string whose expressions are compiled (and shared through the cache). */
export interface CompiledTemplate {
  readonly source: string;
  readonly parts: readonly CompiledTemplatePart[];
  /** Set when the template is exactly one `{{ }}` (whitespace around allowed): it renders to the
   * expression's value itself, not its text. */
  readonly single?: CompiledExpression;
}

const cache = new LruCache<string, CompiledTemplate>(2000);

/** True when the string has `{{` parts or escapes, i.e. rendering may change it. */
export const hasTemplateMarkers = (value: string): boolean => value.includes('{{');

/**
 * Parses a template string and compiles its expressions. Cached by source. Throws
 * `ExpressionError`: `template_syntax` for bad `{{ }}` markers, `expression_syntax` for an
 * expression that does not compile, with `position` relative to the whole template.
 */
export function compileTemplate(template: string): CompiledTemplate {
  const cached = cache.get(template);
  if (cached) return cached;
  const parts: CompiledTemplatePart[] = parseTemplate(template).map((part) =>
    part.kind === 'text'
      ? part
      : { kind: 'expression', expression: compileIn(template, part.source, part.offset), offset: part.offset },
  );
  const expressions = parts.filter((p): p is Extract<CompiledTemplatePart, { kind: 'expression' }> => p.kind === 'expression');
  const onlyBlankText = parts.every((p) => p.kind === 'expression' || p.text.trim() === '');
  const single = expressions.length === 1 && onlyBlankText ? expressions[0].expression : undefined;
  const compiled: CompiledTemplate = Object.freeze({ source: template, parts: Object.freeze(parts), single });
  cache.set(template, compiled);
  return compiled;
}

function compileIn(template: string, source: string, offset: number): CompiledExpression {
  try {
    return compileExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const position = error.position === undefined ? offset : offset + error.position;
    return rethrowAt(error, position, template);
  }
}

function rethrowAt(error: ExpressionError, position: number, template: string): never {
  throw new ExpressionError(
    'expression_syntax',
    `template expression does not compile at position ${position}: ${error.details.reason ?? error.message}`,
    { ...error.details, position, source: template },
  );
}

/**
 * Every template in a value that does not compile, walking arrays and plain objects (keys are not
 * templates). `pathPrefix` locates the value (`nodes[2].config.value`); each error's `path` points
 * at the string and its rule is `invalid_template`.
 */
export function findTemplateErrors(template: unknown, pathPrefix: string): FieldError[] {
  const errors: FieldError[] = [];
  collect(template, pathPrefix, errors);
  return errors;
}

function collect(value: unknown, path: string, errors: FieldError[]): void {
  if (typeof value === 'string') {
    if (!hasTemplateMarkers(value)) return;
    try {
      compileTemplate(value);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      errors.push({ path, message: error.message, rule: 'invalid_template' });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, childPath(path, index), errors));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) collect(item, childPath(path, key), errors);
  }
}
