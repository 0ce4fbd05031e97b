import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * A server process a test owns (its own nats-server, its own Postgres), started again on demand
 * with the same command: what it printed across every start, and a stop that always ends it.
 */
export interface OwnProcess {
  /** The process of the latest start. */
  current(): ChildProcess;
  /** Everything every start printed, stdout and stderr interleaved. */
  output(): string;
  /** Starts the command again (after `halt`). */
  relaunch(): void;
  /** Sends `signal` (unless it has ended) and waits for the exit; SIGKILL after `graceMs`. */
  halt(signal: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function ownProcess(command: string, args: string[], options: SpawnOptions = {}): OwnProcess {
  let output = '';
  const launch = (): { child: ChildProcess; exited: Promise<void> } => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
  };
  let running = launch();
  return {
    current: () => running.child,
    output: () => output,
    relaunch: () => {
      running = launch();
    },
    halt: async (signal, graceMs = 5_000) => {
      const { child, exited } = running;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
