import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExpressionError, type ExpressionErrorCode } from './expression.error';

/** How the sandbox's worker processes are sized. Every field has a default. */
export interface ExpressionPoolOptions {
  /** Worker processes evaluating at once; more evaluations queue. Default 2. */
  workers?: number;
  /** Heap (V8 old space) of one worker, in MB (`--max-old-space-size`): above it the evaluation
   * fails with `expression_memory` and the worker is replaced. Default 256. */
  maxOldGenerationSizeMb?: number;
  /** Young generation semi-space of one worker, in MB (`--max-semi-space-size`). Default 16. */
  maxSemiSpaceSizeMb?: number;
}

/** One evaluation sent to a worker. */
export interface WorkerEvaluation {
  source: string;
  scope: unknown;
  /** CPU-time budget of this evaluation in the worker, in ms. */
  timeoutMs: number;
  maxDepth: number;
  maxOutputBytes: number;
  /** Who the evaluation is for (a workspace): queued evaluations are served one key at a time in
   * turn, so one tenant's flood of slow expressions delays another's by at most one turn each. */
  fairnessKey?: string;
}

export const DEFAULT_POOL_WORKERS = 2;
export const DEFAULT_WORKER_HEAP_MB = 256;

const WORKER_FILE = path.join(__dirname, 'expression.worker.cjs');

/** How long past its budget a worker gets to stop itself (between two steps) before it is killed. */
const STOP_GRACE_MS = 100;

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The wall-clock bound of one evaluation, whatever its CPU time (a starved machine). */
const wallCapOf = (budgetMs: number): number => Math.max(2 * budgetMs, budgetMs + 1000);

interface Pending {
  key: string;
  job: WorkerEvaluation;
  resolve: (value: unknown) => void;
  reject: (error: ExpressionError) => void;
}

interface Running {
  pending: Pending;
  id: number;
  started: number;
  /** The worker's CPU time (ms) when the job was sent: the job's usage is the difference. */
  cpuStart?: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  gone: boolean;
  /** The end of its stderr, where V8 reports running out of heap. */
  stderr: string;
  current?: Running;
}

type WorkerAnswer =
  | { ready: true }
  | { id: number; ok: true; json: string | undefined }
  | { id: number; ok: false; error: { code: ExpressionErrorCode; message: string; details?: object } };

/**
 * Evaluates JSONata expressions in worker processes that can be stopped for real. Each worker is
 * a child process with a heap cap; an evaluation past its CPU-time budget is stopped by killing
 * its worker (then replaced) even inside one long built-in step, and one that outgrows the heap
 * kills only its worker (`expression_memory`). Child processes, not worker threads: a worker
 * thread that makes one allocation larger than its remaining heap (`$append` of two big arrays)
 * aborts the whole process, `resourceLimits` or not.
 *
 * The budget is CPU time of the worker (read from `/proc/<pid>/stat`, the wall clock where that
 * is missing), so a starved worker on a busy machine is not cut short; a wall-clock cap (twice
 * the budget, at least budget + 1 s) still bounds the wait. The worker stops a loop of small
 * steps itself at its budget and lives on; one still busy 100 ms later is killed. Time spent
 * queued for a free worker does not count; the queue serves fairness keys (workspaces) in turn.
 * Workers start on first use, never keep the process alive (`unref`), exit when it does (IPC
 * disconnect), and `close()` stops them.
 */
export class ExpressionWorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  /** Waiting evaluations by fairness key; the Map's order is the rotation (served key goes last). */
  private readonly queues = new Map<string, Pending[]>();
  private queued = 0;
  private nextId = 1;
  /** Keeps the process alive while an evaluation is queued or running (the workers are `unref`'d). */
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly size: number;
  private readonly heapMb: number;

  constructor(private readonly options: ExpressionPoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? DEFAULT_POOL_WORKERS);
    this.heapMb = options.maxOldGenerationSizeMb ?? DEFAULT_WORKER_HEAP_MB;
  }

  /** Resolves to the result as plain JSON (`undefined` when nothing matched); rejects with `ExpressionError`. */
  evaluate(job: WorkerEvaluation): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const key = job.fairnessKey ?? '';
      const waiting = this.queues.get(key);
      if (waiting) waiting.push({ key, job, resolve, reject });
      else this.queues.set(key, [{ key, job, resolve, reject }]);
      this.queued += 1;
      this.pump();
    });
  }

  /** Stops every worker; queued and running evaluations fail. The pool starts new workers on its next use. */
  async close(): Promise<void> {
    const closed = (): ExpressionError => failure('expression_error', 'the expression sandbox was closed');
    const slots = [...this.slots];
    for (const pending of this.drain()) pending.reject(closed());
    await Promise.all(
      slots.map(async (slot) => {
        const exited = slot.child.exitCode !== null || slot.child.signalCode !== null;
        const gone = exited ? Promise.resolve() : new Promise<void>((resolve) => slot.child.once('exit', () => resolve()));
        this.retire(slot, closed());
        await gone;
      }),
    );
    this.holdWhileBusy();
  }

  private pump(): void {
    this.holdWhileBusy();
    while (this.queued > 0) {
      const slot = this.idle.pop();
      if (!slot) {
        const starting = [...this.slots].filter((s) => !s.ready).length;
        if (this.slots.size < this.size && starting < this.queued) this.spawn();
        return;
      }
      this.run(slot, this.next()!);
    }
  }

  /** The oldest evaluation of the key whose turn it is; that key then goes to the back. */
  private next(): Pending | undefined {
    for (const [key, waiting] of this.queues) {
      const pending = waiting.shift()!;
      this.queues.delete(key);
      if (waiting.length > 0) this.queues.set(key, waiting);
      this.queued -= 1;
      return pending;
    }
    return undefined;
  }

  private drain(): Pending[] {
    const all = [...this.queues.values()].flat();
    this.queues.clear();
    this.queued = 0;
    return all;
  }

  private holdWhileBusy(): void {
    const busy = this.queued > 0 || [...this.slots].some((s) => s.current !== undefined);
    if (busy && !this.keepAlive) this.keepAlive = setInterval(() => undefined, 60_000);
    if (!busy && this.keepAlive) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }

  private spawn(): void {
    const child = fork(WORKER_FILE, [], {
      // Only the heap caps: none of the parent's loader flags (Jest's, swc's), which it does not need.
      execArgv: [`--max-old-space-size=${this.heapMb}`, `--max-semi-space-size=${this.options.maxSemiSpaceSizeMb ?? 16}`],
      env: { ...process.env, NODE_OPTIONS: '' },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, ready: false, gone: false, stderr: '' };
    this.slots.add(slot);
    child.unref();
    child.channel?.unref();
    const stderr = child.stderr as (NodeJS.ReadableStream & { unref?: () => void }) | null;
    stderr?.unref?.();
    stderr?.setEncoding('utf8');
    stderr?.on('data', (chunk: string) => (slot.stderr = (slot.stderr + chunk).slice(-2000)));
    child.on('message', (answer: WorkerAnswer) => this.onAnswer(slot, answer));
    child.on('error', (error) => this.onGone(slot, error.message));
    child.on('exit', (code, signal) => this.onGone(slot, `exit code ${code ?? signal}`));
  }

  private run(slot: Slot, pending: Pending): void {
    const id = this.nextId++;
    const running: Running = { pending, id, started: Date.now() };
    slot.current = running;
    const unsendable = (error: unknown): void => {
      if (slot.current !== running) return;
      // The scope cannot be serialised (not JSON data): the worker never saw it.
      slot.current = undefined;
      if (!slot.gone) this.idle.push(slot);
      pending.reject(failure('expression_error', `the scope cannot be sent to the sandbox: ${String(error)}`));
      this.pump();
    };
    try {
      slot.child.send({ id, wallCapMs: wallCapOf(pending.job.timeoutMs), ...pending.job }, (error) => {
        if (error) unsendable(error);
      });
    } catch (error) {
      unsendable(error);
      return;
    }
    void processCpuMs(slot.child.pid).then((ms) => (running.cpuStart = ms));
    this.arm(slot, running, pending.job.timeoutMs);
  }

  private arm(slot: Slot, running: Running, delayMs: number): void {
    if (slot.current !== running) return;
    running.timer = setTimeout(() => void this.check(slot, running), delayMs);
  }

  /** Checks the worker's CPU time when the budget may be spent; kills it when it is, and then some. */
  private async check(slot: Slot, running: Running): Promise<void> {
    if (slot.current !== running || slot.gone) return;
    const budget = running.pending.job.timeoutMs;
    const cpuMs = await processCpuMs(slot.child.pid);
    if (slot.current !== running) return; // it answered meanwhile
    const elapsed = Date.now() - running.started;
    const used = cpuMs === undefined || running.cpuStart === undefined ? elapsed : cpuMs - running.cpuStart;
    const allowed = budget + STOP_GRACE_MS;
    const cap = wallCapOf(budget) + STOP_GRACE_MS;
    if (used >= allowed || elapsed >= cap) {
      // Still busy past its budget: inside one long step, where only killing stops it.
      this.retire(slot, failure('expression_timeout', `expression ran longer than ${budget} ms of CPU time and was stopped`));
      this.pump();
      return;
    }
    this.arm(slot, running, Math.max(5, Math.min(allowed - used, cap - elapsed)));
  }

  private onAnswer(slot: Slot, answer: WorkerAnswer): void {
    if (slot.gone) return;
    if ('ready' in answer) {
      slot.ready = true;
      this.idle.push(slot);
      this.pump();
      return;
    }
    const current = slot.current;
    if (!current || current.id !== answer.id) return;
    clearTimeout(current.timer);
    slot.current = undefined;
    this.idle.push(slot);
    if (answer.ok) current.pending.resolve(answer.json === undefined ? undefined : JSON.parse(answer.json));
    else current.pending.reject(new ExpressionError(answer.error.code, answer.error.message, answer.error.details ?? {}));
    this.pump();
  }

  private onGone(slot: Slot, why: string): void {
    if (slot.gone) return;
    const startup = !slot.ready;
    const outOfMemory = /heap out of memory|heap limit|allocation failed/i.test(slot.stderr);
    const reason = outOfMemory
      ? failure('expression_memory', `expression used more than its ${this.heapMb} MB of memory and was stopped`)
      : failure('expression_error', `the expression worker stopped (${why})`);
    this.retire(slot, reason);
    // A worker that cannot even start would fail the same way again: fail what waits, don't loop.
    if (startup) for (const pending of this.drain()) pending.reject(reason);
    this.pump();
  }

  /** Takes a worker out of the pool and kills it, failing its evaluation (if any) with `reason`. */
  private retire(slot: Slot, reason: ExpressionError): void {
    slot.gone = true;
    this.slots.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    const current = slot.current;
    slot.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.pending.reject(reason);
    }
    if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
  }
}

/** CPU time (user + system, all threads) of a process in ms, from /proc; `undefined` where there is none. */
async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

const failure = (code: ExpressionErrorCode, message: string): ExpressionError => new ExpressionError(code, message);
