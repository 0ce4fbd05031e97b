import type jsonata from 'jsonata';
import { ExpressionError } from './expression.error';

/** Bounds on one evaluation (or one template render). */
export interface EvaluationLimits {
  /**
   * Time budget in milliseconds; default 1000. Wall clock for an expression evaluated in-thread
   * (bounded by construction, checked between steps), CPU time of the worker thread for one
   * evaluated in the sandbox (stopped by terminating the worker, even inside one long step).
   */
  timeoutMs?: number;
  /** Maximum nesting of JSONata evaluation steps; default 200. Stops runaway recursion. */
  maxDepth?: number;
  /** Who the evaluation is for (a workspace id): the sandbox serves waiting evaluations of
   * different keys in turn. Unused in-thread. */
  fairnessKey?: string;
}

export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_MAX_DEPTH = 200;

/**
 * The binding under which each evaluation carries its own guard. The spaces make it a name no
 * JSONata source can spell as a variable, so an expression can neither read nor rebind it.
 */
export const GUARD_BINDING = ' flowstack evaluation guard ';

/**
 * Per-evaluation state checked by JSONata's entry/exit hooks. One guard belongs to exactly one
 * `evaluate()` call: the cached compiled expression is shared by concurrent evaluations, so the
 * state must not live on it.
 */
export class EvaluationGuard {
  private depth = 0;
  /** Set once a bound is crossed; later hook calls rethrow it, and so does the evaluator even
   * when JSONata wrapped the first throw (as `$eval` does). */
  tripped: ExpressionError | undefined;

  private constructor(
    private readonly deadline: number,
    private readonly timeoutMs: number,
    private readonly maxDepth: number,
  ) {}

  /** A guard whose budget starts now. */
  static start(limits: EvaluationLimits = {}): EvaluationGuard {
    const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const guard = new EvaluationGuard(Date.now() + timeoutMs, timeoutMs, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
    guard.fairnessKey = limits.fairnessKey;
    return guard;
  }

  /** A fresh guard (depth 0) sharing another's deadline: the parts of one template render. */
  static sharingDeadline(other: EvaluationGuard): EvaluationGuard {
    return new EvaluationGuard(other.deadline, other.timeoutMs, other.maxDepth);
  }

  /** What is left of the deadline, in ms (0 or less: spent). */
  remainingMs(): number {
    return this.deadline - Date.now();
  }

  get depthLimit(): number {
    return this.maxDepth;
  }

  /** The render's fairness key, for the parts that go to the sandbox. */
  fairnessKey: string | undefined;

  enter(): void {
    if (this.tripped) throw this.tripped;
    this.depth += 1;
    if (this.depth > this.maxDepth) {
      this.trip('expression_depth', `expression nested deeper than ${this.maxDepth} levels (runaway recursion?)`);
    }
    // Checked on every step: evaluation runs in microtasks, so a timer could never fire meanwhile.
    if (Date.now() > this.deadline) {
      this.trip('expression_timeout', `expression ran longer than ${this.timeoutMs} ms (infinite loop?)`);
    }
  }

  exit(): void {
    this.depth -= 1;
  }

  private trip(code: 'expression_depth' | 'expression_timeout', message: string): never {
    this.tripped = new ExpressionError(code, message);
    throw this.tripped;
  }
}

/** The slice of JSONata's (undocumented) environment frame that the hooks use. */
interface HookEnvironment {
  lookup(name: string | symbol): unknown;
  base?: { lookup(name: string | symbol): unknown };
}

const guardOf = (env: HookEnvironment): EvaluationGuard | undefined => {
  // `base` is the frame of this evaluate() call, where the bindings (and so the guard) live.
  const found = (env.base ?? env).lookup(GUARD_BINDING);
  return found instanceof EvaluationGuard ? found : undefined;
};

const onEntry = (_expr: unknown, _input: unknown, env: HookEnvironment): void => guardOf(env)?.enter();
const onExit = (_expr: unknown, _input: unknown, env: HookEnvironment): void => guardOf(env)?.exit();

/**
 * Installs the stateless entry/exit hooks on a compiled expression, once. JSONata 2.x looks them up
 * as `Symbol.for('jsonata.__evaluate_entry' | 'jsonata.__evaluate_exit')` on every step (the
 * "timeboxExpression" technique of its own test suite); they find the per-call guard through the
 * evaluation's frame.
 */
export function installGuardHooks(expression: jsonata.Expression): void {
  // The typings only admit string names; the runtime binds any key.
  const target = expression as unknown as { assign(name: symbol, value: unknown): void };
  target.assign(Symbol.for('jsonata.__evaluate_entry'), onEntry);
  target.assign(Symbol.for('jsonata.__evaluate_exit'), onExit);
}
