import jsonata from 'jsonata';
import { classifyExpression } from './expression.classifier';
import { ExpressionError, isJsonataFailure } from './expression.error';
import { installGuardHooks } from './expression.guard';
import { LruCache } from './lru.cache';

/**
 * A compiled JSONata expression, shared through the cache by every evaluation of the same source.
 * It holds no per-evaluation state; evaluate it with `evaluateCompiled` (which applies the time
 * and depth bounds), never through `program` directly.
 */
export interface CompiledExpression {
  readonly source: string;
  /** @internal The JSONata program, with the guard hooks installed. */
  readonly program: jsonata.Expression;
  /** Where it is evaluated (`classifyExpression`): in the calling thread under the step guard, or
   * in the sandbox's worker threads. Decided once, at compilation. */
  readonly runsIn: 'in-thread' | 'worker';
}

/** Compiling (parsing) is the expensive part of JSONata; workflows reuse a small set of sources. */
export const EXPRESSION_CACHE_CAPACITY = 5000;

const cache = new LruCache<string, CompiledExpression>(EXPRESSION_CACHE_CAPACITY);

/**
 * Compiles a JSONata expression, or returns the cached compilation of the same source (the very
 * same object). Throws `ExpressionError` `expression_syntax` with the position of the error; a
 * failed compilation is not cached.
 */
export function compileExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached) return cached;
  let program: jsonata.Expression;
  try {
    program = jsonata(source);
  } catch (error) {
    throw syntaxError(error, source);
  }
  installGuardHooks(program);
  const compiled: CompiledExpression = Object.freeze({ source, program, runsIn: classifyExpression(program) });
  cache.set(source, compiled);
  return compiled;
}

/** Forgets every cached compilation (tests, or a caller that wants to bound memory now). */
export function clearExpressionCache(): void {
  cache.clear();
}

function syntaxError(error: unknown, source: string): ExpressionError {
  if (!isJsonataFailure(error)) {
    return new ExpressionError('expression_syntax', `expression does not compile: ${String(error)}`, { source });
  }
  const position = typeof error.position === 'number' ? error.position : undefined;
  const token = typeof error.token === 'string' ? error.token : undefined;
  const where = position === undefined ? '' : ` at position ${position}`;
  const reason = error.message ?? error.code;
  return new ExpressionError('expression_syntax', `syntax error${where}: ${reason}`, {
    reason,
    position,
    token,
    jsonataCode: error.code,
    source,
  });
}
