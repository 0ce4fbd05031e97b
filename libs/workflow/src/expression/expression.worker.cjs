// The worker process of the expression sandbox (expression-worker.pool.ts), forked with a heap
// cap. Plain CommonJS that requires only `jsonata`: it must load the same way under Jest
// (@swc/jest), in a service started with @swc-node/register and in plain Node, without a loader.
//
// One evaluation at a time: the pool sends the next job only after this one answered. The worker
// stops what it can itself (a step deadline on its own CPU time, a nesting bound, the output size)
// so that a plain runaway loop costs no restart; what it cannot stop (one built-in step running
// long, a heap growing past its cap) the pool stops by killing the process, or V8 does.
//
// The guard and the error mapping mirror expression.guard.ts and expression.evaluator.ts; keep the
// codes and messages in step with them.
'use strict';

const jsonata = require('jsonata');

const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');
const CACHE_CAPACITY = 500;

/** The guard of the one evaluation in progress (the worker runs one at a time). */
let current;

/** CPU time of this process (all its threads, as the pool reads it from /proc), in ms. */
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

class Tripped {
  constructor(code, message) {
    this.code = code;
    this.message = message;
  }
}

function enter() {
  const guard = current;
  if (!guard) return;
  if (guard.tripped) throw guard.tripped;
  guard.depth += 1;
  if (guard.depth > guard.maxDepth) {
    trip(guard, 'expression_depth', `expression nested deeper than ${guard.maxDepth} levels (runaway recursion?)`);
  }
  // A loop of many small steps stops here cleanly (the worker lives on); one long step is killed
  // by the pool instead. The clock is cheap: CPU time is read only once the wall clock says the
  // budget may be spent, so a starved process (a busy machine) gets the CPU time it was promised,
  // up to the wall-clock cap.
  const now = Date.now();
  if (now > guard.wallCheck) {
    const used = cpuMs() - guard.cpuStart;
    if (used >= guard.timeoutMs || now > guard.wallCap) {
      trip(guard, 'expression_timeout', `expression ran longer than ${guard.timeoutMs} ms of CPU time (infinite loop?)`);
    }
    guard.wallCheck = now + Math.max(1, guard.timeoutMs - used);
  }
}

function exit() {
  if (current) current.depth -= 1;
}

function trip(guard, code, message) {
  guard.tripped = new Tripped(code, message);
  throw guard.tripped;
}

const cache = new Map();

function compile(source) {
  let program = cache.get(source);
  if (program) {
    cache.delete(source);
    cache.set(source, program);
    return program;
  }
  program = jsonata(source);
  program.assign(ENTRY, enter);
  program.assign(EXIT, exit);
  cache.set(source, program);
  if (cache.size > CACHE_CAPACITY) cache.delete(cache.keys().next().value);
  return program;
}

const isJsonataFailure = (e) => typeof e === 'object' && e !== null && typeof e.code === 'string';

function runtimeError(error, source) {
  if (error instanceof Tripped) return { code: error.code, message: error.message, details: {} };
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return {
      code: 'expression_depth',
      message: `expression nested too deeply: ${error.message}`,
      details: { source },
    };
  }
  if (isJsonataFailure(error)) {
    const position = typeof error.position === 'number' ? error.position : undefined;
    const token = typeof error.token === 'string' ? error.token : undefined;
    const where = position === undefined ? '' : ` (at position ${position})`;
    const reason = error.message ?? error.code;
    return {
      code: 'expression_error',
      message: `${reason}${where}`,
      details: { reason, position, token, jsonataCode: error.code, source },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'expression_error', message, details: { source } };
}

/** JSON.stringify drops functions; JSONata's lambdas and built-ins are objects, drop them too
 * (the same rules as json.normalizer.ts). */
const withoutFunctions = (_key, value) =>
  value !== null && typeof value === 'object' && (value._jsonata_lambda === true || value._jsonata_function === true)
    ? undefined
    : value;

const tooLarge = (job) => ({
  code: 'output_too_large',
  message: `expression result is larger than ${job.maxOutputBytes} bytes as JSON`,
  details: { source: job.source },
});

async function evaluate(job) {
  const guard = {
    depth: 0,
    maxDepth: job.maxDepth,
    timeoutMs: job.timeoutMs,
    cpuStart: cpuMs(),
    wallCheck: Date.now() + job.timeoutMs,
    wallCap: Date.now() + job.wallCapMs,
    tripped: undefined,
  };
  current = guard;
  try {
    const program = compile(job.source);
    const scope = job.scope ?? {};
    const bindings = { input: scope.input, nodes: scope.nodes, execution: scope.execution };
    let result;
    try {
      result = await program.evaluate(scope, bindings);
    } catch (error) {
      // A tripped bound wins over whatever JSONata made of it (`$eval` wraps inner errors).
      return { ok: false, error: runtimeError(guard.tripped ?? error, job.source) };
    }
    let json;
    try {
      json = JSON.stringify(result, withoutFunctions);
    } catch (error) {
      // "Invalid string length": larger than any string V8 can hold, so larger than the limit.
      if (!(error instanceof RangeError)) throw error;
      return { ok: false, error: tooLarge(job) };
    }
    if (json !== undefined && Buffer.byteLength(json) > job.maxOutputBytes) return { ok: false, error: tooLarge(job) };
    return { ok: true, json };
  } catch (error) {
    return { ok: false, error: runtimeError(error, job.source) };
  } finally {
    current = undefined;
  }
}

process.on('message', (job) => {
  evaluate(job).then(
    (answer) => process.send({ id: job.id, ...answer }),
    (error) => process.send({ id: job.id, ok: false, error: runtimeError(error, job.source) }),
  );
});

// The pool is gone (exited, crashed, killed): so is the reason to live.
process.on('disconnect', () => process.exit(0));

process.send({ ready: true });
