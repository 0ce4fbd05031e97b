import type { CompiledExpression } from '../expression/expression.compiler';
import { evaluateGuarded, evaluateInSandbox, type ExpressionScope } from '../expression/expression.evaluator';
import { ExpressionError } from '../expression/expression.error';
import { EvaluationGuard, type EvaluationLimits } from '../expression/expression.guard';
import { childPath, isPlainObject, setOwn } from '../field-path';
import { compileTemplate, hasTemplateMarkers } from './template.compiler';

/**
 * Renders a template value against a scope (ARCHITECTURE.md section 5):
 * - a string that is exactly one `{{ <JSONata> }}` (whitespace around allowed) becomes the
 *   expression's value itself: an object, a number, `undefined`...;
 * - any other string with `{{ }}` parts becomes text: strings as is, `null`/`undefined` as `''`,
 *   objects and arrays as JSON, other scalars through `String`; `\{{` is a literal `{{`;
 * - arrays and plain objects are rendered item by item (keys are not templated);
 * - other values pass through unchanged.
 *
 * `limits.timeoutMs` bounds the whole render (all its expressions together); `maxDepth` bounds
 * each expression. Rejects with `ExpressionError` whose `details.path` locates the failing string
 * inside `template` (`''` for the root).
 */
export async function renderTemplate(template: unknown, scope: ExpressionScope, limits?: EvaluationLimits): Promise<unknown> {
  return renderValue(template, scope, EvaluationGuard.start(limits), '');
}

async function renderValue(value: unknown, scope: ExpressionScope, guard: EvaluationGuard, path: string): Promise<unknown> {
  if (typeof value === 'string') return renderString(value, scope, guard, path);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    // One after the other: parts share one deadline, and order keeps failures deterministic.
    for (let i = 0; i < value.length; i++) out.push(await renderValue(value[i], scope, guard, childPath(path, i)));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      setOwn(out, key, await renderValue(item, scope, guard, childPath(path, key)));
    }
    return out;
  }
  return value;
}

async function renderString(template: string, scope: ExpressionScope, guard: EvaluationGuard, path: string): Promise<unknown> {
  if (!hasTemplateMarkers(template)) return template;
  try {
    const compiled = compileTemplate(template);
    if (compiled.single) return await evaluatePart(compiled.single, scope, guard);
    let text = '';
    for (const part of compiled.parts) {
      text += part.kind === 'text' ? part.text : stringifyForText(await evaluatePart(part.expression, scope, guard));
    }
    return text;
  } catch (error) {
    throw error instanceof ExpressionError ? locate(error, path) : error;
  }
}

/** Each expression gets a fresh depth count but the render's deadline, in-thread or in the sandbox. */
function evaluatePart(expression: CompiledExpression, scope: ExpressionScope, guard: EvaluationGuard): Promise<unknown> {
  if (expression.runsIn === 'in-thread') return evaluateGuarded(expression, scope, EvaluationGuard.sharingDeadline(guard));
  return evaluateInSandbox(expression, scope, guard.remainingMs(), guard.depthLimit, guard.fairnessKey);
}

/** How a value reads inside surrounding text. */
export function stringifyForText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value === null ? '' : JSON.stringify(value);
    default:
      // undefined (nothing matched); functions and symbols never leave the evaluator.
      return '';
  }
}

function locate(error: ExpressionError, path: string): ExpressionError {
  if (path === '') return error;
  return new ExpressionError(error.code, `${path}: ${error.message}`, { ...error.details, path });
}
