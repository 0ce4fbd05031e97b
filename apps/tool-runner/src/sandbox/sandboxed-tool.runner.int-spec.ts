import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NodeTask } from '@flowstack/contracts';
import type { LogPublisher, LogStream } from '../logs/log.publisher';
import type { SecretResolver } from '../secrets/secret-resolver';
import { NodeFailure } from '../work/node-failure';
import { DEFAULT_SANDBOX_HOST, Sandbox } from './sandbox';
import type { SandboxPermissions } from './sandbox-policy';
import { SandboxedToolRunner } from './sandboxed-tool.runner';

/** The python and shell tools in a real bubblewrap sandbox on this machine, escapes included. */
describe('SandboxedToolRunner (bubblewrap)', () => {
  const workRoot = mkdtempSync(join(tmpdir(), 'sandbox-spec-'));
  // The sandbox's uid has to traverse it (as it does /tmp).
  chmodSync(workRoot, 0o711);
  const sandbox = new Sandbox({ ...DEFAULT_SANDBOX_HOST, workRoot, concurrency: 4 });
  const permissions: SandboxPermissions = { python: true, shell: true, network: false };
  const lines: Array<{ node: string; stream: string; line: string }> = [];
  const logs = {
    open: (_ws: string, _ex: string, node: string): LogStream => ({
      line: (stream, line) => lines.push({ node, stream, line }),
      close: () => undefined,
    }),
  } as unknown as LogPublisher;
  const asked: string[][] = [];
  const secrets = {
    resolve: (_ws: string, names: Iterable<string>) => {
      const wanted = [...names];
      asked.push(wanted);
      const vault: Record<string, string> = { gh_token: 'ghp_s3cr3t_value', other_secret: 'never-seen-value' };
      return Promise.resolve(Object.fromEntries(wanted.map((n) => [n, vault[n]])));
    },
  } as unknown as SecretResolver;
  const runner = new SandboxedToolRunner({
    sandbox,
    secrets,
    logs,
    policy: { settingsOf: () => Promise.resolve({ ...permissions }) },
  });
  const signal = new AbortController().signal;
  process.env.FLOWSTACK_SANDBOX_SPEC_MARKER = 'platform-env-must-not-leak';

  const task = (node = 'run'): Pick<NodeTask, 'scope' | 'workspaceId' | 'executionId' | 'taskId'> & { node: { id: string } } => ({
    taskId: `${randomUUID()}:${node}:1`,
    executionId: randomUUID(),
    workspaceId: randomUUID(),
    node: { id: node },
    scope: {
      input: {},
      nodes: {},
      execution: { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: new Date().toISOString() },
    },
  });
  const python = (code: string, extra: Record<string, unknown> = {}, args: unknown = {}, node = 'run') =>
    runner.run('python', { code, ...extra }, args, task(node), signal);
  const failure = async (p: Promise<unknown>): Promise<NodeFailure> => {
    try {
      await p;
    } catch (e) {
      if (e instanceof NodeFailure) return e;
      throw e;
    }
    throw new Error('expected the tool to fail');
  };

  beforeAll(() => {
    expect(sandbox.available()).toBe(true);
  });

  afterAll(() => {
    rmSync(workRoot, { recursive: true, force: true });
    delete process.env.FLOWSTACK_SANDBOX_SPEC_MARKER;
  });

  it('runs python with args, returns result, stdout and stderr, and streams the lines', async () => {
    const out = await python(
      'import sys\nprint("hello", args["name"])\nprint("warn", file=sys.stderr)\nresult = {"n": args["n"] * 2, "cwd": __import__("os").getcwd()}',
      {},
      { name: 'Ada', n: 21 },
      'py',
    );
    expect(out).toMatchObject({ result: { n: 42, cwd: '/scratch' }, stdout: 'hello Ada\n', stderr: 'warn\n', exitCode: 0 });
    expect(lines).toEqual(
      expect.arrayContaining([
        { node: 'py', stream: 'stdout', line: 'hello Ada' },
        { node: 'py', stream: 'stderr', line: 'warn' },
      ]),
    );
  });

  it('runs shell with $ARGS and stdin, and reads a JSON last line as the result', async () => {
    const out = await runner.run(
      'shell',
      { command: 'echo "args: $ARGS"; read -r line; echo "stdin: $line"; echo \'{"ok":true}\'' },
      { q: 1 },
      task('sh'),
      signal,
    );
    expect(out.stdout).toBe('args: {"q":1}\nstdin: {"q":1}\n{"ok":true}\n');
    expect(out.result).toEqual({ ok: true });
  });

  it('a python that allocates 10 GB fails with sandbox_memory_limit', async () => {
    const f = await failure(python('x = bytearray(10 * 1024 ** 3)'));
    expect(f.code).toBe('sandbox_memory_limit');
  });

  it('a fork bomb fails with sandbox_process_limit', async () => {
    const f = await failure(python('import os\nwhile True:\n    os.fork()', { timeoutMs: 10_000 }));
    expect(f.code).toBe('sandbox_process_limit');
  });

  it('an infinite loop fails with sandbox_cpu_limit, and a sleeping one with sandbox_timeout', async () => {
    const cpu = await failure(python('while True:\n    pass', { timeoutMs: 10_000, cpuSeconds: 1 }));
    expect(cpu.code).toBe('sandbox_cpu_limit');
    const started = Date.now();
    const wall = await failure(python('import time\ntime.sleep(60)', { timeoutMs: 500 }));
    expect(wall.code).toBe('sandbox_timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a shell that loops in the background still ends at the wall time: the whole group is killed', async () => {
    const f = await failure(
      runner.run('shell', { command: '(while :; do sleep 0.1; done) & sleep 100', timeoutMs: 400 }, {}, task(), signal),
    );
    expect(f.code).toBe('sandbox_timeout');
  });

  it('/proc/self/environ holds only the scrubbed environment and the secrets the tool references', async () => {
    asked.length = 0;
    const out = await python(
      'result = open("/proc/self/environ").read().split("\\0")',
      { env: { GH: '{{ secrets.gh_token }}', MODE: '{{ args.mode }}' } },
      { mode: 'fast' },
    );
    const environ = (out.result as string[]).filter(Boolean).sort();
    expect(environ).toEqual(
      [
        'ARGS={"mode":"fast"}',
        'GH=***',
        'HOME=/scratch',
        'LANG=C.UTF-8',
        'MODE=fast',
        'PATH=/usr/local/bin:/usr/bin:/bin',
        'PWD=/scratch',
        'TMPDIR=/scratch',
      ].sort(),
    );
    // Only the referenced secret was fetched; the runner's own environment never reached it.
    expect(asked).toEqual([['gh_token']]);
    expect(JSON.stringify(out)).not.toContain('platform-env-must-not-leak');
    expect(JSON.stringify(out)).not.toContain('ghp_s3cr3t_value');
    const seen = await python('import os\nresult = os.environ["GH"] == "ghp_s3cr3t_value"', {
      env: { GH: '{{ secrets.gh_token }}' },
    });
    expect(seen.result).toBe(true);
  });

  it('writing outside /scratch fails with sandbox_write_denied; /scratch is writable and fresh each run', async () => {
    for (const path of ['/etc/flowstack-escape', '/usr/flowstack-escape', '/tool/x', '/flowstack-escape']) {
      const f = await failure(python(`open(${JSON.stringify(path)}, "w").write("x")`));
      expect(f.code).toBe('sandbox_write_denied');
    }
    const first = await python('import os\nopen("/scratch/a", "w").write("x")\nresult = os.listdir("/scratch")');
    expect(first.result).toEqual(['a']);
    const second = await python('import os\nresult = os.listdir("/scratch")');
    expect(second.result).toEqual([]);
    // Nothing is left on the host.
    expect(readdirSync(workRoot)).toEqual([]);
  });

  // Postgres and NATS listen on the runner's loopback on this machine; the sandbox has its own.
  it('connecting to 127.0.0.1:5432 and :4222 fails with sandbox_network_denied', async () => {
    for (const port of [5432, 4222]) {
      const f = await failure(python(`import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=2)`));
      expect(f.code).toBe('sandbox_network_denied');
    }
  });

  it("network: true (when the workspace allows it) shares the runner's network: the loopback is reachable", async () => {
    const server = createServer((socket) => socket.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    permissions.network = true;
    try {
      const code = `import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=5)\nresult = s.recv(100).decode()`;
      expect((await python(code, { network: true })).result).toBe('hello from the host\n');
      // Without asking for it the tool still has no network.
      expect((await failure(python(code))).code).toBe('sandbox_network_denied');
    } finally {
      permissions.network = false;
      server.close();
    }
  });

  it('refuses a disabled kind (sandbox_kind_disabled) and the network unless enabled (sandbox_network_disabled)', async () => {
    permissions.shell = false;
    try {
      expect((await failure(runner.run('shell', { command: 'echo hi' }, {}, task(), signal))).code).toBe('sandbox_kind_disabled');
    } finally {
      permissions.shell = true;
    }
    expect((await failure(python('print(1)', { network: true }))).code).toBe('sandbox_network_disabled');
  });

  it('output over maxOutputBytes fails with sandbox_output_limit', async () => {
    const f = await failure(python('while True:\n    print("x" * 1000)', { maxOutputBytes: 10_000 }));
    expect(f.code).toBe('sandbox_output_limit');
  });

  it('a non-zero exit fails with sandbox_exit_code and the stderr tail', async () => {
    const f = await failure(python('raise ValueError("bad input")'));
    expect(f.code).toBe('sandbox_exit_code');
    expect(f.message).toContain('ValueError: bad input');
  });

  it('keeps serving: a normal run right after the escapes succeeds, and runs go in parallel', async () => {
    const outs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => python('result = args["n"] + 1', {}, { n })));
    expect(outs.map((o) => o.result)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('a cancel stops the program at once', async () => {
    const ctl = new AbortController();
    const started = Date.now();
    const run = runner.run('python', { code: 'import time\ntime.sleep(60)' }, {}, task(), ctl.signal);
    setTimeout(() => ctl.abort(), 300);
    expect((await failure(run)).code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
