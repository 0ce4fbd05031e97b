import {
  pythonToolConfigSchema,
  SANDBOX_LIMITS,
  shellToolConfigSchema,
  type NodeTask,
  type PythonToolConfig,
  type SandboxedToolKind,
  type ShellToolConfig,
} from '@flowstack/contracts';
import { renderTemplate, stringifyForText } from '@flowstack/workflow';
import { redactSecrets, referencedSecrets, type SecretResolver } from '../secrets/secret-resolver';
import type { LogPublisher } from '../logs/log.publisher';
import { NodeFailure } from '../work/node-failure';
import { type Sandbox, type SandboxLimits, SandboxUnavailable } from './sandbox';
import { sandboxOutcome, type SandboxedToolOutput } from './sandbox-outcome';
import type { SandboxPolicy } from './sandbox-policy';

/** Where python is inside the sandbox (the host's `/usr` is bound read-only). */
export const SANDBOX_PYTHON = '/usr/bin/python3';

/**
 * Reads the arguments' JSON from stdin into `args`, runs `/tool/main.py` as `__main__` and writes
 * the global `result`, if the code set one, as JSON to fd 3 (`default=str` for dates and the like).
 */
const PYTHON_PRELUDE = `import json, os, sys
def _flowstack_run():
    raw = sys.stdin.read()
    scope = {"__name__": "__main__", "__file__": "/tool/main.py", "args": json.loads(raw) if raw.strip() else {}}
    with open("/tool/main.py", encoding="utf-8") as f:
        code = compile(f.read(), "/tool/main.py", "exec")
    exec(code, scope)
    if "result" in scope:
        with os.fdopen(3, "w", encoding="utf-8") as out:
            json.dump(scope["result"], out, default=str)
_flowstack_run()
`;

/** Size of every run's `/scratch` tmpfs (and of the largest file written there). */
export const SANDBOX_SCRATCH_BYTES = 64 * 1024 * 1024;

/** Largest `ARGS` environment variable (Linux refuses one string over 128 KiB); larger args are on stdin only. */
const MAX_ARGS_ENV = 65_536;

export interface SandboxedToolDeps {
  sandbox: Sandbox;
  secrets: SecretResolver;
  policy: SandboxPolicy;
  logs: LogPublisher;
}

/**
 * Runs `python` and `shell` tools in the sandbox. Arguments reach the program as JSON on stdin
 * and in `$ARGS` (python: the variable `args`); the environment is `PATH`, `HOME` and `TMPDIR`
 * (`/scratch`), `LANG` and the tool's `env` (templates over `args` and `secrets.<name>`: only the
 * credentials named there are fetched). Each stdout/stderr line goes out as a `log` message while
 * the program runs. Secret values are replaced by `***` in the output, failures and log lines.
 * Refused unless the workspace's admin enabled the kind (`sandbox_kind_disabled`), and the network
 * unless enabled too (`sandbox_network_disabled`).
 */
export class SandboxedToolRunner {
  constructor(private readonly deps: SandboxedToolDeps) {}

  async run(
    kind: SandboxedToolKind,
    rawConfig: Record<string, unknown>,
    args: unknown,
    task: Pick<NodeTask, 'scope' | 'workspaceId' | 'executionId' | 'taskId'> & { node: { id: string } },
    signal: AbortSignal,
  ): Promise<SandboxedToolOutput> {
    const config = parseConfig(kind, rawConfig);
    const settings = await this.deps.policy.settingsOf(task.workspaceId);
    if (!settings[kind]) {
      throw new NodeFailure(
        'sandbox_kind_disabled',
        `${kind} tools are disabled in this workspace; an admin enables them with PUT /api/v1/workspaces/{id}/settings`,
      );
    }
    const network = config.network === true;
    if (network && !settings.network) {
      throw new NodeFailure(
        'sandbox_network_disabled',
        'this tool asks for the network, which the workspace has not enabled for sandboxed tools',
      );
    }
    const secrets = await this.deps.secrets.resolve(task.workspaceId, referencedSecrets(config.env ?? {}), task.taskId);
    const env = await this.environment(config, args, secrets, task);
    const limits = limitsOf(config);
    const argsJson = JSON.stringify(args ?? {});
    // The program's `$ARGS` (a variable of the sandbox, not of this process).
    if (argsJson.length <= MAX_ARGS_ENV) Object.assign(env, { ARGS: argsJson });
    const spec =
      kind === 'python'
        ? {
            argv: [SANDBOX_PYTHON, '-I', '-B', '/tool/prelude.py'],
            files: { 'prelude.py': PYTHON_PRELUDE, 'main.py': (config as PythonToolConfig).code },
          }
        : { argv: ['/bin/sh', '-c', (config as ShellToolConfig).command] };
    const log = this.deps.logs.open(task.workspaceId, task.executionId, task.node.id);
    // Postgres' jsonb refuses NUL (U+0000) in a string: the output would never be recorded.
    const redact = (text: string): string =>
      redactSecrets(text, secrets).replace(/\0|\\u0000/g, (m) => (m === '\0' ? '\uFFFD' : '\\ufffd'));
    try {
      const run = await this.deps.sandbox.run(
        { ...spec, env, stdin: argsJson, network, limits },
        (stream, line) => log.line(stream, redact(line)),
        signal,
      );
      const output = sandboxOutcome(
        { ...run, stdout: redact(run.stdout), stderr: redact(run.stderr), result: redact(run.result) },
        limits,
        network,
        kind === 'shell',
      );
      return output;
    } catch (e) {
      if (e instanceof SandboxUnavailable) throw new NodeFailure('sandbox_unavailable', e.message, true);
      if (e instanceof NodeFailure) throw e;
      if (signal.aborted) throw new NodeFailure('cancelled', 'the program was stopped (cancelled)');
      throw new NodeFailure('sandbox_error', `the sandbox failed: ${(e as Error).message}`, true);
    } finally {
      log.close();
    }
  }

  private async environment(
    config: PythonToolConfig | ShellToolConfig,
    args: unknown,
    secrets: Record<string, string>,
    task: Pick<NodeTask, 'scope' | 'workspaceId'>,
  ): Promise<Record<string, string>> {
    const env: Record<string, string> = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/scratch',
      TMPDIR: '/scratch',
      LANG: 'C.UTF-8',
    };
    if (!config.env) return env;
    let rendered: unknown;
    try {
      rendered = await renderTemplate(config.env, { ...task.scope, args, secrets }, { fairnessKey: task.workspaceId });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new NodeFailure(typeof code === 'string' ? code : 'template_error', `the tool's env failed: ${(e as Error).message}`);
    }
    for (const [name, value] of Object.entries(rendered as Record<string, unknown>)) {
      const text = typeof value === 'string' ? value : stringifyForText(value);
      if (text.includes('\0')) throw new NodeFailure('invalid_config', `env.${name} contains a NUL character`);
      env[name] = text;
    }
    return env;
  }
}

function parseConfig(kind: SandboxedToolKind, raw: Record<string, unknown>): PythonToolConfig | ShellToolConfig {
  const { kind: _kind, ...rest } = raw;
  const parsed = (kind === 'python' ? pythonToolConfigSchema : shellToolConfigSchema).safeParse(rest);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'tool'}: ${i.message}`).join('; ');
    throw new NodeFailure('invalid_config', `${kind} tool config is invalid: ${issues}`);
  }
  return parsed.data;
}

/** The tool's limits with the defaults of `SANDBOX_LIMITS`; CPU seconds default to the wall time. */
export function limitsOf(config: PythonToolConfig | ShellToolConfig): SandboxLimits {
  const timeoutMs = config.timeoutMs ?? SANDBOX_LIMITS.defaultTimeoutMs;
  return {
    timeoutMs,
    cpuSeconds: config.cpuSeconds ?? Math.max(1, Math.ceil(timeoutMs / 1000)),
    memoryBytes: (config.memoryMb ?? SANDBOX_LIMITS.defaultMemoryMb) * 1024 * 1024,
    maxOutputBytes: config.maxOutputBytes ?? SANDBOX_LIMITS.defaultOutputBytes,
    maxProcesses: config.maxProcesses ?? SANDBOX_LIMITS.defaultProcesses,
    scratchBytes: SANDBOX_SCRATCH_BYTES,
  };
}
