import {
  agentCallConfigSchema,
  conversationSchema,
  type AgentCallConfig,
  FlowstackError,
  Rpc,
  AGENT_RUNTIME_TOOLS_PAGE,
  type AgentRuntime,
  type AgentToolView,
  type AgentView,
  type NodeTask,
  type Page,
  type RequestContext,
  type SealedCredential,
  type ToolView,
} from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { costOf, type PriceTable } from '@flowstack/pricing';
import { open, type Keyring } from '@flowstack/vault';
import { renderTemplate, stringifyForText } from '@flowstack/workflow';
import type { HttpToolExecutor } from '../http/http-tool.executor';
import type { McpTools } from '../mcp/mcp-tools';
import { AgentLoop } from '../llm/agent-loop';
import { createLlmProvider } from '../llm/llm-provider.factory';
import { PROVIDER_CACHE_SIZE, ProviderCache } from '../llm/provider-cache';
import type { LlmProvider, ToolDefinition } from '../llm/llm.types';
import { NodeFailure } from '../work/node-failure';
import { AttemptSpend, type NodeExecutor, type NodeOutcome } from '../work/node-executor';
import { LlmError } from '../llm/llm-error';
import type { ResumedProgress, TurnRecorder } from './turn-recorder';
import { assertBaseUrlAllowed } from './base-url.guard';
import type { ChunkPublisher } from './chunk.publisher';
import type { ToolDispatcher } from '../tools/tool-dispatcher';

/** The actor the registry expects on the tool-runner's reads (the subjects answering sealed values insist on it). */
export const TOOL_RUNNER_ACTOR = { id: 'tool-runner', type: 'system' } as const;

/** Linked tools read per agent at most (the registry's page size is 200). */
const MAX_TOOL_PAGES = 20;

export interface AgentCallDeps {
  rpc: RpcClient;
  http: HttpToolExecutor;
  prices: PriceTable;
  /** Absent when `FLOWSTACK_MASTER_KEY` is not set: agents with a credential fail with `vault_unavailable`. */
  keyring?: Keyring;
  chunks: ChunkPublisher;
  allowPrivateNetwork: boolean;
  /** Runs agent tools of every kind (http, builtin, python, shell); without it only http and two builtins. */
  tools?: ToolDispatcher;
  /** Runs mcp tools (each allowed tool of a linked MCP server is one LLM tool); absent: agents cannot use mcp tools. */
  mcp?: McpTools;
  /** Builds a provider (tests may wrap it; each is kept for later runs with the same one); default `createLlmProvider`. */
  createProvider?: typeof createLlmProvider;
  /**
   * Records each turn and tool call through the orchestrator and reads them back on a resume.
   * Absent (unit tests only): the loop is not durable.
   */
  recorder?: TurnRecorder;
}

/** A tool the agent may call, by the name its model sees. */
interface AgentTool {
  definition: ToolDefinition;
  run: (args: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;
}

/**
 * Runs an `agent_call` node: reads the agent, its linked tools and its credential from the
 * registry in one request (`registry.agent.runtime`; further pages of tools and the node's extra
 * `tools` after it), as the `system` actor `tool-runner`, in the task's workspace, so
 * another workspace's agent, tool or credential is `not_found`; opens the credential with the
 * vault, renders the prompt template over the task's scope, checks the provider's base URL
 * against the outbound policy, and runs the agent loop with the attempt's signal. Text deltas go
 * out on `chunks.<ws>.<execution>.<node>`; the output is `{ text | json, usage, cost }` and the
 * node's cost is the turns' token cost plus the agent's `costPerRun`.
 */
export class AgentCallExecutor implements NodeExecutor {
  private readonly providers: ProviderCache;

  constructor(private readonly deps: AgentCallDeps) {
    this.providers = new ProviderCache(PROVIDER_CACHE_SIZE, deps.createProvider ?? createLlmProvider);
  }

  async execute(task: NodeTask, signal: AbortSignal, spend: AttemptSpend = new AttemptSpend()): Promise<NodeOutcome> {
    const parsed = agentCallConfigSchema.safeParse(task.node.config ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
      throw new NodeFailure('invalid_config', `agent_call config is invalid: ${issues}`);
    }
    const config = parsed.data;
    const ctx: RequestContext = { workspaceId: task.workspaceId, actor: { ...TOOL_RUNNER_ACTOR }, correlationId: task.taskId };
    const recorder = this.deps.recorder;
    // One round of reads: the agent with its first page of tools and its sealed credential (one
    // request), the prompt, and what was recorded. Every run reads what was recorded: a
    // redelivered task (its runner died), a later attempt, or a second copy of a task all resume
    // the conversation rather than pay for it again. JetStream's delivery count is not enough to
    // tell: a redelivery can reach a new runner as its first delivery seen.
    const [runtime, prompt, recorded] = firstFailureFirst(
      await Promise.allSettled([
        this.read<AgentRuntime>(
          Rpc.registry.agentRuntime,
          { id: config.agentId },
          ctx,
          'agent_not_found',
          `agent ${config.agentId}`,
        ),
        this.renderInput(config, task),
        recorder ? recorder.recorded(task, ctx) : Promise.resolve<ResumedProgress | undefined>(undefined),
      ]),
    );
    const { agent } = runtime;
    const apiKey = this.apiKeyOf(agent, runtime.credential, ctx);
    const tools = await this.toolsOf(agent, runtime.tools, config.tools ?? [], task, ctx);
    // This attempt pays for the turns it recorded itself (before a crash too); turns of earlier
    // attempts were paid by their NodeFailed.
    for (const turn of recorded?.turns ?? []) if (turn.attempt === task.attempt) spend.add(turn.cost.cost, turn.usage);
    if (agent.baseUrl && !this.deps.allowPrivateNetwork) await assertBaseUrlAllowed(agent.baseUrl);
    const llm: LlmProvider = this.providers.get(agent.provider, {
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(agent.baseUrl ? { baseUrl: agent.baseUrl } : {}),
    });
    const byName = new Map(tools.map((t) => [t.definition.name, t]));
    const stream = this.deps.chunks.open(task.workspaceId, task.executionId, task.node.id);
    try {
      const result = await new AgentLoop({ llm, prices: this.deps.prices }).run({
        agent: {
          provider: agent.provider,
          model: agent.model,
          ...(systemPromptOf(agent.systemPrompt, prompt.system) ?? {}),
          parameters: agent.parameters,
          maxSteps: config.maxSteps ?? agent.maxSteps,
        },
        prompt: prompt.text,
        ...(prompt.conversation ? { conversation: prompt.conversation } : {}),
        ...(recorded ? { recorded } : {}),
        tools: tools.map((t) => t.definition),
        executeTool: (call, toolSignal) => byName.get(call.name)!.run(call.arguments, toolSignal),
        ...(config.outputSchema === undefined ? {} : { outputSchema: config.outputSchema }),
        onChunk: (text) => stream.write(text),
        // Durable: each turn and tool call is in the execution's log before the loop goes on.
        onTurnCompleted: async (turn) => {
          spend.add(turn.cost.cost, turn.usage);
          await recorder?.turn(task, ctx, turn);
        },
        onToolCalled: (call) => recorder?.toolCall(task, ctx, call),
        signal,
      });
      const cost = spend.cost + agent.costPerRun;
      // The output speaks for the whole conversation (every attempt's turns); the node's cost and
      // usage for this attempt's (earlier attempts' turns were on their NodeFailed).
      const output = {
        ...(config.outputSchema === undefined ? { text: result.text } : { json: result.output }),
        usage: result.usage,
        cost: result.cost.cost + agent.costPerRun,
        ...(result.cost.priced ? {} : { unpriced: true }),
        steps: result.steps,
      };
      return { output, cost, usage: spend.usage ?? { inputTokens: 0, outputTokens: 0, model: result.usage.model } };
    } catch (e) {
      // A failed call's tokens are paid too (the input, once a stream had started).
      if (e instanceof LlmError && e.details.usage) {
        const partial = e.details.usage;
        spend.add(costOf(this.deps.prices, agent.provider, partial.model, partial).cost, partial);
      }
      // LlmErrors are NodeFailures: their code, retryable flag and details (retryAfter, spent) go on.
      if (e instanceof NodeFailure) throw e;
      throw new NodeFailure('internal', `agent loop failed: ${(e as Error).message}`, true);
    } finally {
      stream.close();
    }
  }

  /** The prompt rendered, or the conversation of `messages` (rendered when a template) with its system messages apart. */
  private async renderInput(config: AgentCallConfig, task: NodeTask): Promise<RenderedInput> {
    if (config.messages === undefined) return { text: await this.renderPrompt(config.prompt ?? '', task) };
    let value: unknown = config.messages;
    if (typeof value === 'string') {
      try {
        value = await renderTemplate(value, task.scope, { fairnessKey: task.workspaceId });
      } catch (e) {
        throw asFailure(e, 'the messages template failed');
      }
    }
    const parsed = conversationSchema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `messages${i.path.map((p) => `[${String(p)}]`).join('')}: ${i.message}`);
      throw new NodeFailure('invalid_messages', `the conversation is invalid: ${issues.join('; ')}`);
    }
    const system = parsed.data.filter((m) => m.role === 'system').map((m) => m.content);
    const conversation = parsed.data
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role as 'user' | 'assistant', text: m.content }));
    return { text: conversation.at(-1)?.text ?? '', conversation, ...(system.length ? { system: system.join('\n\n') } : {}) };
  }

  private async renderPrompt(template: string, task: NodeTask): Promise<string> {
    try {
      const rendered = await renderTemplate(template, task.scope, { fairnessKey: task.workspaceId });
      return typeof rendered === 'string' ? rendered : stringifyForText(rendered);
    } catch (e) {
      throw asFailure(e, 'the prompt template failed');
    }
  }

  /** The agent's credential opened, or undefined when it has none (a provider that needs one refuses later). */
  private apiKeyOf(agent: AgentView, sealed: SealedCredential | null, ctx: RequestContext): string | undefined {
    if (!agent.credentialId) return undefined;
    if (!sealed) {
      throw new NodeFailure(
        'credential_not_found',
        `credential ${agent.credentialId} of agent ${agent.slug} does not exist in this workspace`,
      );
    }
    const keyring = this.deps.keyring;
    if (!keyring) throw new NodeFailure('vault_unavailable', 'FLOWSTACK_MASTER_KEY is not set on this tool-runner', true);
    if (sealed.workspaceId !== ctx.workspaceId) {
      throw new NodeFailure('credential_not_found', `credential ${agent.credentialId} is not in this workspace`);
    }
    if (sealed.kind !== 'api_key' && sealed.kind !== 'bearer_token') {
      throw new NodeFailure(
        'credential_kind_unsupported',
        `credential "${sealed.name}" is of kind ${sealed.kind}; an agent's credential must be an api_key or bearer_token`,
      );
    }
    let plaintext: string;
    try {
      plaintext = open(keyring, { workspaceId: sealed.workspaceId, credentialId: sealed.id }, sealed.sealed);
    } catch (e) {
      throw new NodeFailure('credential_undecryptable', (e as Error).message);
    }
    // The sealed plaintext is the value's JSON (`@flowstack/contracts` credentials): a string for these kinds.
    const value: unknown = JSON.parse(plaintext);
    if (typeof value !== 'string')
      throw new NodeFailure('credential_undecryptable', `credential "${sealed.name}" is not a string`);
    return value;
  }

  /**
   * The agent's linked tools (the first page came with the agent, unless the agent was too large
   * to share a message with it: `null`) and the node's extra ones, as LLM tools.
   */
  private async toolsOf(
    agent: AgentView,
    first: Page<AgentToolView> | null,
    extraIds: string[],
    task: NodeTask,
    ctx: RequestContext,
  ): Promise<AgentTool[]> {
    const linked: ToolView[] = [...(first?.items ?? [])];
    let cursor = first?.nextCursor ?? undefined;
    let more = first === null || cursor !== undefined;
    for (let page = first ? 1 : 0; more && page < MAX_TOOL_PAGES; page++) {
      const answer = await this.read<Page<AgentToolView>>(
        Rpc.registry.agentToolList,
        { agentId: agent.id, limit: AGENT_RUNTIME_TOOLS_PAGE, ...(cursor ? { cursor } : {}) },
        ctx,
        'agent_not_found',
        `the tools of agent ${agent.id}`,
      );
      linked.push(...answer.items);
      cursor = answer.nextCursor ?? undefined;
      more = cursor !== undefined;
    }
    const have = new Set(linked.map((t) => t.id));
    const extra = await Promise.all(
      [...new Set(extraIds)]
        .filter((id) => !have.has(id))
        .map((id) => this.read<ToolView>(Rpc.registry.toolGet, { id }, ctx, 'tool_not_found', `tool ${id}`)),
    );
    return [...linked, ...extra].flatMap((tool) =>
      tool.kind === 'mcp' ? this.mcpAgentTools(tool, task, ctx) : [this.agentTool(tool, task)],
    );
  }

  /** Each allowed, discovered tool of the server as an LLM tool named `<modelName>__<mcp name>`. */
  private mcpAgentTools(tool: ToolView, task: NodeTask, ctx: RequestContext): AgentTool[] {
    const mcp = this.deps.mcp;
    if (!mcp) throw new NodeFailure('unsupported_tool', `tool "${tool.name}" is an mcp tool, which this runner cannot call`);
    return mcp.agentTools(tool).map(({ definition, mcpName }) => ({
      definition,
      run: async (args, signal) => {
        const out = await mcp.call(tool, mcpName, args, task, ctx, signal);
        return out.structuredContent ?? (out.text !== '' ? out.text : out.content);
      },
    }));
  }

  private agentTool(tool: ToolView, task: NodeTask): AgentTool {
    const definition: ToolDefinition = {
      name: tool.modelName,
      description: tool.description ?? tool.name,
      inputSchema: tool.inputSchema,
    };
    if (this.deps.tools) {
      const dispatcher = this.deps.tools;
      const toRun = { kind: tool.kind, config: tool.config, name: `"${tool.name}"` };
      return { definition, run: (args, signal) => dispatcher.run(toRun, args, task, signal) };
    }
    switch (tool.kind) {
      case 'http':
        return { definition, run: (args, signal) => this.deps.http.run({ ...tool.config, kind: 'http' }, args, task, signal) };
      case 'builtin':
        if (tool.config.operation === 'noop') return { definition, run: (args) => Promise.resolve(args) };
        if (tool.config.operation === 'json_parse') return { definition, run: (args) => Promise.resolve(jsonParse(args)) };
        break;
    }
    const what = tool.kind === 'builtin' ? `builtin operation "${String(tool.config.operation)}"` : `kind "${tool.kind}"`;
    throw new NodeFailure('unsupported_tool', `tool "${tool.name}" is of ${what}, which agents cannot call yet`);
  }

  /** One registry read; `not_found` becomes `notFoundCode` (not retryable), a bus failure stays retryable. */
  private async read<T>(name: string, payload: unknown, ctx: RequestContext, notFoundCode: string, what: string): Promise<T> {
    try {
      return await this.deps.rpc.request<T>(name, payload, ctx);
    } catch (e) {
      if (e instanceof FlowstackError && e.code === 'not_found') {
        throw new NodeFailure(notFoundCode, `${what} does not exist in this workspace`);
      }
      if (e instanceof FlowstackError && (e.code === 'unavailable' || e.code === 'internal' || e.code === 'rate_limited')) {
        throw new NodeFailure('registry_unavailable', `reading ${what} failed: ${e.message}`, true);
      }
      throw new NodeFailure('registry_error', `reading ${what} failed: ${(e as Error).message}`);
    }
  }
}

/**
 * The values of reads started together, or the failure of the first one (in the order given) that
 * failed: an agent that does not exist is reported as such even when its prompt would fail too.
 */
function firstFailureFirst<T extends readonly unknown[]>(settled: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  for (const one of settled) if (one.status === 'rejected') throw one.reason;
  return settled.map((one) => (one as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** What the loop starts from: the prompt, or a conversation (and its system messages). */
interface RenderedInput {
  text: string;
  conversation?: Array<{ role: 'user' | 'assistant'; text: string }>;
  system?: string;
}

/** The agent's system prompt followed by the conversation's system messages, if any. */
function systemPromptOf(agentPrompt: string | null | undefined, extra: string | undefined): { systemPrompt: string } | undefined {
  const text = [agentPrompt, extra].filter((s): s is string => !!s).join('\n\n');
  return text ? { systemPrompt: text } : undefined;
}

function jsonParse(args: Record<string, unknown>): unknown {
  const text = args.text ?? args.json ?? args.value;
  if (typeof text !== 'string') throw new NodeFailure('invalid_arguments', 'json_parse needs a string argument "text"');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NodeFailure('invalid_json', `not JSON: ${(e as Error).message}`);
  }
}

function asFailure(e: unknown, what: string): NodeFailure {
  if (e instanceof NodeFailure) return e;
  const code = (e as { code?: unknown }).code;
  return new NodeFailure(typeof code === 'string' ? code : 'template_error', `${what}: ${(e as Error).message}`);
}
