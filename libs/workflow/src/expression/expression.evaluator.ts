import type { EvaluationScope } from '@flowstack/contracts';
import { compileExpression, type CompiledExpression } from './expression.compiler';
import { ExpressionError, isJsonataFailure } from './expression.error';
import { DEFAULT_MAX_DEPTH, DEFAULT_TIMEOUT_MS, EvaluationGuard, GUARD_BINDING, type EvaluationLimits } from './expression.guard';
import { sandboxMaxOutputBytes, sandboxPool } from './expression.sandbox';
import { toPlainJson } from './json.normalizer';

/**
 * What an expression sees: usually an `EvaluationScope`; the tool-runner adds `secrets`, and any
 * record works (its keys are the paths of the input document).
 */
export type ExpressionScope = EvaluationScope | Record<string, unknown>;

/**
 * Evaluates a JSONata expression against a scope. The scope is the input document (`input.name`,
 * `nodes.fetch_a.output.body`, `execution.id`), and `$input`, `$nodes`, `$execution` are bound too
 * so they stay reachable inside nested paths where the context has moved.
 *
 * Resolves to plain JSON (or `undefined` when nothing matched). Rejects with `ExpressionError`:
 * `expression_syntax`, `expression_error`, `expression_timeout` (default 1000 ms) or
 * `expression_depth` (default 200 nested steps); for an expression evaluated in the sandbox also
 * `expression_memory` (its worker's heap cap) and `output_too_large` (`Limits.maxValueBytes`).
 * Compilations are cached by source.
 *
 * Where it runs is decided once per compiled expression (`classifyExpression`): expressions whose
 * cost is linear in the scope run in the calling thread under the step guard (no hop); the rest
 * run in the sandbox's worker threads, which are terminated when their budget is spent.
 */
export async function evaluateExpression(source: string, scope: ExpressionScope, limits?: EvaluationLimits): Promise<unknown> {
  return evaluateCompiled(compileExpression(source), scope, limits);
}

/** `evaluateExpression` for an expression compiled beforehand with `compileExpression`. */
export async function evaluateCompiled(
  compiled: CompiledExpression,
  scope: ExpressionScope,
  limits?: EvaluationLimits,
): Promise<unknown> {
  if (compiled.runsIn === 'in-thread') return evaluateGuarded(compiled, scope, EvaluationGuard.start(limits));
  return evaluateInSandbox(
    compiled,
    scope,
    limits?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    limits?.maxDepth ?? DEFAULT_MAX_DEPTH,
    limits?.fairnessKey,
  );
}

/** @internal One evaluation in the sandbox's worker threads, with this CPU-time budget. */
export async function evaluateInSandbox(
  compiled: CompiledExpression,
  scope: ExpressionScope,
  timeoutMs: number,
  maxDepth: number,
  fairnessKey?: string,
): Promise<unknown> {
  if (timeoutMs <= 0)
    throw new ExpressionError('expression_timeout', 'no time is left for this expression', { source: compiled.source });
  return sandboxPool().evaluate({
    source: compiled.source,
    scope,
    timeoutMs,
    maxDepth,
    maxOutputBytes: sandboxMaxOutputBytes(),
    fairnessKey,
  });
}

/** @internal One evaluation under a given guard (a template render shares one deadline). */
export async function evaluateGuarded(
  compiled: CompiledExpression,
  scope: ExpressionScope,
  guard: EvaluationGuard,
): Promise<unknown> {
  const fields = scope as Record<string, unknown>;
  const bindings: Record<string, unknown> = {
    input: fields.input,
    nodes: fields.nodes,
    execution: fields.execution,
    [GUARD_BINDING]: guard,
  };
  let result: unknown;
  try {
    result = (await compiled.program.evaluate(scope, bindings)) as unknown;
  } catch (error) {
    // A tripped bound wins over whatever JSONata made of it (`$eval` wraps inner errors).
    throw guard.tripped ?? runtimeError(error, compiled.source);
  }
  return toPlainJson(result);
}

function runtimeError(error: unknown, source: string): ExpressionError {
  if (error instanceof ExpressionError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    // The JavaScript stack ran out before the depth bound did (a deep non-recursive structure).
    return new ExpressionError('expression_depth', `expression nested too deeply: ${error.message}`, { source });
  }
  if (isJsonataFailure(error)) {
    const position = typeof error.position === 'number' ? error.position : undefined;
    const token = typeof error.token === 'string' ? error.token : undefined;
    const where = position === undefined ? '' : ` (at position ${position})`;
    const reason = error.message ?? error.code;
    return new ExpressionError('expression_error', `${reason}${where}`, {
      reason,
      position,
      token,
      jsonataCode: error.code,
      source,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ExpressionError('expression_error', message, { source });
}
