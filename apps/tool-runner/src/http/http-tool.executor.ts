import { Agent, errors as undiciErrors, request } from 'undici';
import { Limits, type NodeTask } from '@flowstack/contracts';
import { renderTemplate } from '@flowstack/workflow';
import { withSecrets, type SecretSource } from '../secrets/secret-resolver';
import { NodeFailure } from '../work/node-failure';
import type { NodeExecutor, NodeOutcome } from '../work/node-executor';
import { assertLiteralHostAllowed, guardedLookup } from './outbound-guard';
import { httpToolSchema, type HttpToolConfig } from './http-tool.config';

export interface HttpResponseOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Runs a `tool` node of kind `http`: renders the config's templates over the task's scope (plus the
 * node's rendered `args`), makes one real request, and outputs `{ status, headers, body }` with a
 * JSON body parsed. Connection pooling is shared by every task of the process. A config's templates
 * may reference credentials as `{{ secrets.<name> }}` (url, headers, body): only those are opened,
 * here, and their values are replaced by `***` in the output and in any failure.
 */
export class HttpToolExecutor implements NodeExecutor {
  private readonly agent: Agent;

  constructor(
    private readonly allowPrivateNetwork: boolean,
    maxConnectionsPerOrigin = 256,
    private readonly secrets?: SecretSource,
  ) {
    this.agent = new Agent({
      // Sized to the runner's concurrency: a smaller pool caps calls in flight below it.
      connections: maxConnectionsPerOrigin,
      keepAliveTimeout: 10_000,
      ...(allowPrivateNetwork ? {} : { connect: { lookup: guardedLookup } }),
    });
  }

  async execute(task: NodeTask, signal: AbortSignal): Promise<NodeOutcome> {
    const nodeConfig = task.node.config ?? {};
    const tool = nodeConfig.tool;
    if (!tool || typeof tool !== 'object') {
      throw new NodeFailure('invalid_config', `node "${task.node.id}" has no inline tool (registered tools come later)`);
    }
    // Expressions that may run long go to the sandbox, where this workspace waits its turn.
    const limits = { fairnessKey: task.workspaceId };
    const args = nodeConfig.args === undefined ? undefined : await renderTemplate(nodeConfig.args, task.scope, limits);
    return { output: await this.run(tool, args, task, signal) };
  }

  /**
   * Runs one http tool with arguments already made (a tool node's rendered `args`, or an agent's
   * call arguments, which are data and never rendered as templates): the tool's config templates
   * see the task's scope plus `args` and the `secrets` they name.
   */
  async run(
    tool: unknown,
    args: unknown,
    task: Pick<NodeTask, 'scope' | 'workspaceId'> & { taskId?: string },
    signal: AbortSignal,
  ): Promise<HttpResponseOutput> {
    return withSecrets(this.secrets, tool, task.workspaceId, task.taskId ?? 'http-tool', async (secrets) => {
      const scope = { ...task.scope, args, ...(Object.keys(secrets).length > 0 ? { secrets } : {}) };
      const rendered = await renderTemplate(tool, scope, { fairnessKey: task.workspaceId });
      return this.runLiteral(rendered, signal);
    });
  }

  /** Runs one http tool whose config is data already (no templates): the `webhook_notify` builtin. */
  async runLiteral(tool: unknown, signal: AbortSignal): Promise<HttpResponseOutput> {
    const parsed = httpToolSchema.safeParse(tool);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'tool'}: ${i.message}`).join('; ');
      throw new NodeFailure('invalid_config', `http tool config is invalid after rendering: ${issues}`);
    }
    const config: HttpToolConfig = parsed.data;
    const url = new URL(config.url);
    if (!this.allowPrivateNetwork) assertLiteralHostAllowed(url);
    return this.send(config, url, signal);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async send(config: HttpToolConfig, url: URL, signal: AbortSignal): Promise<HttpResponseOutput> {
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(config.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    let body: string | undefined;
    if (config.body !== undefined && config.method !== 'GET' && config.method !== 'HEAD') {
      body = typeof config.body === 'string' ? config.body : JSON.stringify(config.body);
      if (typeof config.body !== 'string') headers['content-type'] ??= 'application/json';
    }
    const timeout = AbortSignal.timeout(config.timeoutMs);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        method: config.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (e) {
      throw this.classify(e, url, config, timeout);
    }
    const output: HttpResponseOutput = {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: await readBody(response, Math.min(config.maxResponseBytes, Limits.maxValueBytes)),
    };
    if (config.failOnHttpError && (output.status < 200 || output.status >= 300)) {
      throw new NodeFailure(
        'http_status',
        `${config.method} ${url.origin}${url.pathname} answered ${output.status}`,
        RETRYABLE_STATUS.has(output.status),
        { status: output.status, body: output.body },
      );
    }
    return output;
  }

  private classify(e: unknown, url: URL, config: HttpToolConfig, timeout: AbortSignal): NodeFailure {
    if (e instanceof NodeFailure) return e;
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof NodeFailure) return cause;
    if (timeout.aborted) return new NodeFailure('timeout', `no answer from ${url.host} within ${config.timeoutMs} ms`, true);
    if (e instanceof undiciErrors.RequestAbortedError || (e as Error).name === 'AbortError') {
      return new NodeFailure('cancelled', 'the request was cancelled', false);
    }
    return new NodeFailure('network_error', `${config.method} ${url.host} failed: ${(e as Error).message}`, true);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Reads the body with a byte counter and stops at `limit` (a declared larger `content-length`
 * stops it before the first byte): a large answer never sits in memory whole.
 */
async function readBody(response: Awaited<ReturnType<typeof request>>, limit: number): Promise<unknown> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    throw new NodeFailure('response_too_large', `response body of ${declared} bytes exceeds ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      response.body.destroy();
      throw new NodeFailure('response_too_large', `response body exceeds ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = String(response.headers['content-type'] ?? '');
  if (text && /[/+]json\b/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
