import { NodeFailure } from '../work/node-failure';
import type { SandboxLimits, SandboxRun } from './sandbox';

/** What a python or shell tool outputs when its program exits 0. */
export interface SandboxedToolOutput {
  /** python: the JSON of the global `result`; shell: what it wrote to fd 3, else its last stdout line if that is JSON; else null. */
  result: unknown;
  stdout: string;
  stderr: string;
  exitCode: 0;
  durationMs: number;
}

/** Kept of stdout/stderr in a failure's `details` (the whole text streamed as `log` lines). */
const TAIL_CHARS = 4_000;
const tail = (text: string): string => (text.length > TAIL_CHARS ? `...${text.slice(-TAIL_CHARS)}` : text);

/**
 * Known ends of a program that ran into a limit or a wall of the sandbox, read from the last lines
 * of its stderr (python's exception, the shell's message). First match wins.
 */
const STDERR_CAUSES: ReadonlyArray<{ code: string; pattern: RegExp; network?: true; what: string }> = [
  {
    code: 'sandbox_memory_limit',
    pattern: /MemoryError|Cannot allocate memory|out of memory|bad_alloc/i,
    what: 'ran out of its memory limit',
  },
  {
    code: 'sandbox_process_limit',
    pattern: /BlockingIOError: \[Errno 11\]|Cannot fork|fork: retry|fork: Resource temporarily unavailable|can't fork/i,
    what: 'hit its process limit',
  },
  {
    code: 'sandbox_scratch_full',
    pattern: /No space left on device|\[Errno 28\]|File too large|\[Errno 27\]/i,
    what: 'filled its scratch space',
  },
  {
    code: 'sandbox_network_denied',
    network: true,
    pattern:
      /Network is unreachable|Connection refused|\[Errno 101\]|\[Errno 111\]|Temporary failure in name resolution|Name or service not known|No address associated/i,
    what: 'tried the network, which this tool does not have',
  },
  {
    code: 'sandbox_write_denied',
    pattern: /Read-only file system|\[Errno 30\]|\[Errno 13\] Permission denied|Permission denied/i,
    what: 'tried to write outside /scratch',
  },
];

/**
 * The node's output, or the NodeFailure that says why the program did not succeed:
 * `sandbox_timeout` (wall time), `sandbox_cpu_limit` (SIGXCPU), `sandbox_output_limit`, `cancelled`,
 * then from its stderr `sandbox_memory_limit`, `sandbox_process_limit`, `sandbox_network_denied`,
 * `sandbox_scratch_full`, `sandbox_write_denied`, else `sandbox_exit_code`; `sandbox_invalid_result` when python's
 * `result` was not JSON. None is retryable: the same code in the same sandbox ends the same way.
 */
export function sandboxOutcome(
  run: SandboxRun,
  limits: SandboxLimits,
  network: boolean,
  parseStdoutResult: boolean,
): SandboxedToolOutput {
  const details = {
    exitCode: run.exitCode,
    signal: run.signal,
    durationMs: run.durationMs,
    stdout: tail(run.stdout),
    stderr: tail(run.stderr),
  };
  if (run.killed === 'timeout') {
    throw new NodeFailure('sandbox_timeout', `the program did not finish within ${limits.timeoutMs} ms`, false, details);
  }
  if (run.killed === 'output_limit') {
    throw new NodeFailure('sandbox_output_limit', `the program wrote more than ${limits.maxOutputBytes} bytes`, false, details);
  }
  if (run.killed === 'cancelled') throw new NodeFailure('cancelled', 'the program was stopped (cancelled)', false, details);
  // bwrap reports a child killed by a signal as 128 + the signal (SIGXCPU = 24).
  if (run.signal === 'SIGXCPU' || run.exitCode === 128 + 24) {
    throw new NodeFailure('sandbox_cpu_limit', `the program used up its ${limits.cpuSeconds} s of CPU time`, false, details);
  }
  if (run.exitCode !== 0 && /^bwrap: /.test(run.stderr)) {
    // The sandbox itself did not start (a host without user namespaces, a path it cannot bind).
    throw new NodeFailure('sandbox_unavailable', `the sandbox did not start: ${lastLine(run.stderr)}`, true, details);
  }
  if (run.exitCode !== 0) {
    // The last lines say why the program ended. When many processes of one program die at once (a
    // fork bomb, every child out of memory) their tracebacks interleave and the cause may sit
    // higher up, so the whole stderr is the second place to look.
    const lastLines = run.stderr.trimEnd().split('\n').slice(-5).join('\n');
    const cause = causeIn(lastLines, network) ?? causeIn(run.stderr, network);
    if (cause) throw new NodeFailure(cause.code, `the program ${cause.what}: ${lastLine(run.stderr)}`, false, details);
    const how = run.exitCode === null ? `was killed by ${run.signal}` : `exited with ${run.exitCode}`;
    throw new NodeFailure('sandbox_exit_code', `the program ${how}: ${lastLine(run.stderr) || '(no stderr)'}`, false, details);
  }
  let result: unknown = null;
  if (run.result.trim()) {
    try {
      result = JSON.parse(run.result);
    } catch {
      throw new NodeFailure('sandbox_invalid_result', 'what the program wrote to fd 3 is not JSON', false, details);
    }
  } else if (parseStdoutResult) {
    const last = run.stdout.trimEnd().split('\n').pop()?.trim() ?? '';
    if (last) {
      try {
        result = JSON.parse(last);
      } catch {
        result = null;
      }
    }
  }
  return { result, stdout: run.stdout, stderr: run.stderr, exitCode: 0, durationMs: run.durationMs };
}

const causeIn = (text: string, network: boolean) =>
  STDERR_CAUSES.find((cause) => !(cause.network && network) && cause.pattern.test(text));

const lastLine = (text: string): string => text.trimEnd().split('\n').pop()?.slice(0, 500) ?? '';
