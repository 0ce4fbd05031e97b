import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One program to run in the sandbox. */
export interface SandboxSpec {
  /** argv inside the sandbox (`/usr/bin/python3 ...`, `/bin/sh -c ...`). */
  argv: string[];
  /** Files written read-only under `/tool` before the start (the tool's code). */
  files?: Record<string, string>;
  /** The whole environment of the program (nothing of the runner's is inherited). */
  env: Record<string, string>;
  /** Written to the program's stdin, then closed. */
  stdin?: string;
  /** Shares the runner's network namespace; otherwise the program has a loopback of its own only. */
  network: boolean;
  limits: SandboxLimits;
}

export interface SandboxLimits {
  timeoutMs: number;
  cpuSeconds: number;
  memoryBytes: number;
  maxOutputBytes: number;
  maxProcesses: number;
  /** Size of the `/scratch` tmpfs (and the largest file). */
  scratchBytes: number;
}

/** Why the sandbox stopped the program itself. */
export type SandboxKill = 'timeout' | 'output_limit' | 'cancelled';

export interface SandboxRun {
  exitCode: number | null;
  /** The signal that ended the program (`SIGXCPU` when its CPU time ran out, `SIGKILL` ...). */
  signal: NodeJS.Signals | null;
  killed?: SandboxKill;
  stdout: string;
  stderr: string;
  /** What the program wrote to file descriptor 3 (the python prelude writes `result` there). */
  result: string;
  durationMs: number;
}

export type LineSink = (stream: 'stdout' | 'stderr', line: string) => void;

/** Where the sandbox finds its tools on the host. */
export interface SandboxHost {
  bwrap: string;
  prlimit: string;
  setpriv: string;
  /** Parent of every run's fresh directory. */
  workRoot: string;
  /**
   * First uid of the pool the programs run as when the runner is root: each concurrent run has
   * a uid of its own, so `RLIMIT_NPROC` (counted per uid) bounds one run, not all of them.
   */
  uidBase: number;
  /** Runs at once (the uid pool's size); more wait for a slot. */
  concurrency: number;
}

export const DEFAULT_SANDBOX_HOST: SandboxHost = {
  bwrap: '/usr/bin/bwrap',
  prlimit: '/usr/bin/prlimit',
  setpriv: '/usr/bin/setpriv',
  workRoot: tmpdir(),
  uidBase: 610_000,
  concurrency: 16,
};

/** Read-only host paths of the sandbox's root (what python3 and a POSIX shell need), when present. */
const READ_ONLY_PATHS = ['/usr', '/etc/alternatives', '/etc/ld.so.cache', '/etc/localtime'];
/** Added when the tool has the network: name resolution and CA certificates. */
const NETWORK_PATHS = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates'];
const MERGED_USR_LINKS = [
  ['usr/bin', '/bin'],
  ['usr/sbin', '/sbin'],
  ['usr/lib', '/lib'],
  ['usr/lib64', '/lib64'],
] as const;

export class SandboxUnavailable extends Error {}

/**
 * Runs programs under bubblewrap: every namespace unshared (`--unshare-all`: user, pid, ipc, uts,
 * cgroup, mount and, unless the tool has the network, net), a read-only root of `/usr` and a few
 * files of `/etc`, `/proc` and a minimal `/dev`, the tool's files read-only at `/tool`, and a fresh
 * tmpfs of `scratchBytes` at `/scratch` as the only writable place (gone with the sandbox's mount
 * namespace; the host directory of the tool's files is removed afterwards). Limits come
 * from `prlimit` (CPU seconds, address space, processes, file size, open files, no core dumps);
 * as root the program runs as a uid of its own from a pool (`setpriv`). The program is the leader
 * of a process group of its own and `--die-with-parent` ties the sandbox to it: a timeout, an
 * output over the limit or a cancel kills the whole group, and with it the sandbox's pid namespace.
 */
export class Sandbox {
  private readonly freeUids: number[];
  private readonly waiting: Array<() => void> = [];
  private readonly asRoot = process.getuid?.() === 0;

  constructor(private readonly host: SandboxHost = DEFAULT_SANDBOX_HOST) {
    this.freeUids = Array.from({ length: host.concurrency }, (_, i) => host.uidBase + i);
  }

  /** Whether this host can run sandboxes (bwrap and prlimit installed). */
  available(): boolean {
    return existsSync(this.host.bwrap) && existsSync(this.host.prlimit) && (!this.asRoot || existsSync(this.host.setpriv));
  }

  async run(spec: SandboxSpec, onLine: LineSink, signal: AbortSignal): Promise<SandboxRun> {
    if (!this.available()) {
      throw new SandboxUnavailable(
        `bubblewrap is not installed on this tool-runner (${this.host.bwrap}; Debian package bubblewrap)`,
      );
    }
    const uid = await this.takeUid(signal);
    const dir = await mkdtemp(join(this.host.workRoot, 'flowstack-sandbox-'));
    try {
      return await this.runIn(dir, uid, spec, onLine, signal);
    } finally {
      this.freeUids.push(uid);
      this.waiting.shift()?.();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** A free uid of the pool (one per run at once); waits for one, or throws when `signal` aborts. */
  private async takeUid(signal: AbortSignal): Promise<number> {
    for (;;) {
      signal.throwIfAborted();
      const uid = this.freeUids.pop();
      if (uid !== undefined) return uid;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal.removeEventListener('abort', wake);
          const at = this.waiting.indexOf(wake);
          if (at >= 0) this.waiting.splice(at, 1);
          resolve();
        };
        this.waiting.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  private async runIn(dir: string, uid: number, spec: SandboxSpec, onLine: LineSink, signal: AbortSignal): Promise<SandboxRun> {
    const tool = join(dir, 'tool');
    await mkdir(tool);
    for (const [name, text] of Object.entries(spec.files ?? {})) await writeFile(join(tool, name), text, { mode: 0o444 });
    // The sandbox's uid must reach the tool's files to bind them.
    await chmod(dir, 0o711);
    await chmod(tool, 0o555);

    const { limits } = spec;
    const argv = [
      // Soft limit first: SIGXCPU (a cause the outcome can name), SIGKILL a second later.
      `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
      `--as=${limits.memoryBytes}`,
      `--nproc=${limits.maxProcesses}`,
      `--fsize=${limits.scratchBytes}`,
      '--nofile=256',
      '--core=0',
      '--',
      ...(this.asRoot ? [this.host.setpriv, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'] : []),
      this.host.bwrap,
      '--unshare-all',
      ...(spec.network ? ['--share-net'] : []),
      '--die-with-parent',
      '--new-session',
      '--clearenv',
      ...Object.entries(spec.env).flatMap(([k, v]) => ['--setenv', k, v]),
      ...[...READ_ONLY_PATHS, ...(spec.network ? NETWORK_PATHS : [])]
        .filter((p) => existsSync(p))
        .flatMap((p) => ['--ro-bind', p, p]),
      ...MERGED_USR_LINKS.flatMap(([target, link]) => ['--symlink', target, link]),
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--ro-bind',
      tool,
      '/tool',
      '--size',
      String(limits.scratchBytes),
      '--perms',
      '0700',
      '--tmpfs',
      '/scratch',
      '--chdir',
      '/scratch',
      '--remount-ro',
      '/',
      '--',
      ...spec.argv,
    ];
    const started = performance.now();
    const child = spawn(this.host.prlimit, argv, {
      env: {},
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    let killed: SandboxKill | undefined;
    const kill = (why: SandboxKill): void => {
      killed ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill('timeout'), limits.timeoutMs);
    const onAbort = (): void => kill('cancelled');
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();

    let outputBytes = 0;
    const collect = (name: 'stdout' | 'stderr'): { text: () => string } => {
      const chunks: Buffer[] = [];
      let partial = '';
      const stream = name === 'stdout' ? child.stdout : child.stderr;
      stream.on('data', (chunk: Buffer) => {
        outputBytes += chunk.length;
        if (outputBytes > limits.maxOutputBytes) {
          kill('output_limit');
          return;
        }
        chunks.push(chunk);
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) onLine(name, line);
      });
      stream.on('end', () => {
        if (partial) onLine(name, partial);
        partial = '';
      });
      return { text: () => Buffer.concat(chunks).toString('utf8') };
    };
    const stdout = collect('stdout');
    const stderr = collect('stderr');
    const resultChunks: Buffer[] = [];
    let resultBytes = 0;
    const resultPipe = child.stdio[3] as NodeJS.ReadableStream;
    resultPipe.on('data', (chunk: Buffer) => {
      resultBytes += chunk.length;
      if (resultBytes > limits.maxOutputBytes) kill('output_limit');
      else resultChunks.push(chunk);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(spec.stdin ?? '');

    try {
      const [exitCode, exitSignal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, sig) => resolve([code, sig]));
      });
      return {
        exitCode,
        signal: exitSignal,
        ...(killed ? { killed } : {}),
        stdout: stdout.text(),
        stderr: stderr.text(),
        result: Buffer.concat(resultChunks).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Whatever the sandbox left (a daemonised child cannot outlive its pid namespace, but be sure).
      kill(killed ?? 'cancelled');
    }
  }
}
