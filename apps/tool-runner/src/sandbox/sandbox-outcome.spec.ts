import { type NodeFailure } from '../work/node-failure';
import type { SandboxLimits, SandboxRun } from './sandbox';
import { sandboxOutcome } from './sandbox-outcome';

const limits: SandboxLimits = {
  timeoutMs: 1000,
  cpuSeconds: 1,
  memoryBytes: 1 << 28,
  maxOutputBytes: 1000,
  maxProcesses: 8,
  scratchBytes: 1 << 20,
};
const run = (over: Partial<SandboxRun>): SandboxRun => ({
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  result: '',
  durationMs: 5,
  ...over,
});
const codeOf = (r: Partial<SandboxRun>, network = false): string => {
  try {
    sandboxOutcome(run(r), limits, network, false);
  } catch (e) {
    return (e as NodeFailure).code;
  }
  return 'succeeded';
};

describe('sandboxOutcome', () => {
  it('reads the result from fd 3, else (shell) the last stdout line when it is JSON', () => {
    expect(sandboxOutcome(run({ result: '{"a":1}' }), limits, false, false).result).toEqual({ a: 1 });
    expect(sandboxOutcome(run({ stdout: 'x\n[1,2]\n' }), limits, false, true).result).toEqual([1, 2]);
    expect(sandboxOutcome(run({ stdout: 'not json\n' }), limits, false, true).result).toBeNull();
    expect(sandboxOutcome(run({ stdout: '[1]\n' }), limits, false, false).result).toBeNull();
    expect(codeOf({ result: '{' })).toBe('sandbox_invalid_result');
  });

  it('names what the sandbox stopped, then what the program reported', () => {
    expect(codeOf({ killed: 'timeout', exitCode: null, signal: 'SIGKILL' })).toBe('sandbox_timeout');
    expect(codeOf({ killed: 'output_limit', exitCode: null, signal: 'SIGKILL' })).toBe('sandbox_output_limit');
    expect(codeOf({ killed: 'cancelled', exitCode: null, signal: 'SIGKILL' })).toBe('cancelled');
    expect(codeOf({ exitCode: 152 })).toBe('sandbox_cpu_limit');
    expect(codeOf({ exitCode: 1, stderr: 'Traceback ...\nMemoryError\n' })).toBe('sandbox_memory_limit');
    expect(codeOf({ exitCode: 1, stderr: 'BlockingIOError: [Errno 11] Resource temporarily unavailable\n' })).toBe(
      'sandbox_process_limit',
    );
    expect(codeOf({ exitCode: 2, stderr: 'sh: 1: Cannot fork\n' })).toBe('sandbox_process_limit');
    // A fork bomb's children die together: the cause sits above the interleaved tails of their tracebacks.
    const interleaved = `Traceback (most recent call last):\nBlockingIOError: [Errno 11] Resource temporarily unavailable\n${'  File "<string>", line 3, in <module>\n'.repeat(6)}`;
    expect(codeOf({ exitCode: 1, stderr: interleaved })).toBe('sandbox_process_limit');
    expect(codeOf({ exitCode: 1, stderr: 'OSError: [Errno 28] No space left on device\n' })).toBe('sandbox_scratch_full');
    expect(codeOf({ exitCode: 1, stderr: 'ConnectionRefusedError: [Errno 111] Connection refused\n' })).toBe(
      'sandbox_network_denied',
    );
    // With the network, a refused connection is the program's own business.
    expect(codeOf({ exitCode: 1, stderr: 'ConnectionRefusedError: [Errno 111] Connection refused\n' }, true)).toBe(
      'sandbox_exit_code',
    );
    expect(codeOf({ exitCode: 1, stderr: "OSError: [Errno 30] Read-only file system: '/etc/x'\n" })).toBe('sandbox_write_denied');
    expect(codeOf({ exitCode: 3, stderr: 'ValueError: no\n' })).toBe('sandbox_exit_code');
    expect(codeOf({ exitCode: 1, stderr: 'bwrap: Creating new namespace failed: Operation not permitted\n' })).toBe(
      'sandbox_unavailable',
    );
  });

  it('keeps the tails of stdout and stderr in the failure details', () => {
    try {
      sandboxOutcome(
        run({ exitCode: 1, stderr: `${'e'.repeat(10_000)}\nValueError: bad\n`, stdout: 'out' }),
        limits,
        false,
        false,
      );
      throw new Error('expected a failure');
    } catch (e) {
      const details = (e as NodeFailure).details as { stderr: string; stdout: string; exitCode: number };
      expect(details.exitCode).toBe(1);
      expect(details.stdout).toBe('out');
      expect(details.stderr.length).toBeLessThanOrEqual(4_003);
      expect(details.stderr).toContain('ValueError: bad');
      expect((e as NodeFailure).message).toContain('ValueError: bad');
    }
  });
});
