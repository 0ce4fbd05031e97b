import { FlowstackError, Rpc, type RequestContext, type ToolView } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import type { McpTools } from '../mcp/mcp-tools';
import { NodeFailure } from '../work/node-failure';
import type { ToolDispatcher, ToolTask } from './tool-dispatcher';

/** The actor the registry expects on the tool-runner's reads. */
export const RUNNER_ACTOR = { id: 'tool-runner', type: 'system' } as const;

/** The context of the tool-runner's registry reads for a task: its workspace, the runner as actor. */
export const runnerContext = (workspaceId: string, correlationId: string): RequestContext => ({
  workspaceId,
  actor: { ...RUNNER_ACTOR },
  correlationId,
});

/**
 * Registered tools (by `toolId`): a `tool` node's `{ toolId, mcpTool?, args }` and
 * `POST /tools/{id}/test` both come here. `mcp` calls one tool of its server (`mcpTool`, or the
 * only one its `allowedTools` leaves); every other kind (http, builtin, python, shell) runs through
 * the `ToolDispatcher`, as inline tools and agent tools do.
 */
export class RegisteredTools {
  constructor(
    private readonly rpc: RpcClient,
    private readonly tools: ToolDispatcher,
    private readonly mcp: McpTools,
  ) {}

  /** The tool of the workspace; another workspace's or a deleted one is `tool_not_found`. */
  async read(toolId: string, ctx: RequestContext): Promise<ToolView> {
    try {
      return await this.rpc.request<ToolView>(Rpc.registry.toolGet, { id: toolId }, ctx);
    } catch (e) {
      if (e instanceof FlowstackError && e.code === 'not_found') {
        throw new NodeFailure('tool_not_found', `tool ${toolId} does not exist in this workspace`);
      }
      throw new NodeFailure('registry_unavailable', `reading tool ${toolId} failed: ${(e as Error).message}`, true);
    }
  }

  async run(
    tool: ToolView,
    call: { mcpTool?: string; args: unknown },
    task: ToolTask,
    ctx: RequestContext,
    signal: AbortSignal,
  ): Promise<unknown> {
    switch (tool.kind) {
      case 'mcp': {
        const args = call.args ?? {};
        if (typeof args !== 'object' || Array.isArray(args)) {
          throw new NodeFailure('invalid_arguments', 'the arguments of an MCP tool must be an object');
        }
        return this.mcp.call(tool, call.mcpTool, args as Record<string, unknown>, task, ctx, signal);
      }
      default:
        return this.tools.run({ kind: tool.kind, config: tool.config, name: `"${tool.name}"` }, call.args, task, signal);
    }
  }
}
