import { FlowstackError, Rpc, type NodeTask, type RequestContext, type ToolView } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import type { HttpToolExecutor } from '../http/http-tool.executor';
import type { McpTools } from '../mcp/mcp-tools';
import { NodeFailure } from '../work/node-failure';

/** The actor the registry expects on the tool-runner's reads. */
export const RUNNER_ACTOR = { id: 'tool-runner', type: 'system' } as const;

/** The context of the tool-runner's registry reads for a task: its workspace, the runner as actor. */
export const runnerContext = (workspaceId: string, correlationId: string): RequestContext => ({
  workspaceId,
  actor: { ...RUNNER_ACTOR },
  correlationId,
});

/**
 * Registered tools (by `toolId`) run by kind: a `tool` node's `{ toolId, mcpTool?, args }` and
 * `POST /tools/{id}/test` both come here. `http` runs its config's templates over the scope plus
 * `args`; `mcp` calls one tool of its server (`mcpTool`, or the only one its `allowedTools`
 * leaves). Kinds this runner does not run yet answer `unsupported_tool`.
 */
export class RegisteredTools {
  constructor(
    private readonly rpc: RpcClient,
    private readonly http: HttpToolExecutor,
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
    task: Pick<NodeTask, 'scope' | 'workspaceId'>,
    ctx: RequestContext,
    signal: AbortSignal,
  ): Promise<unknown> {
    switch (tool.kind) {
      case 'http':
        return this.http.run({ ...tool.config, kind: 'http' }, call.args, task, signal);
      case 'mcp': {
        const args = call.args ?? {};
        if (typeof args !== 'object' || Array.isArray(args)) {
          throw new NodeFailure('invalid_arguments', 'the arguments of an MCP tool must be an object');
        }
        return this.mcp.call(tool, call.mcpTool, args as Record<string, unknown>, task, ctx, signal);
      }
      default:
        throw new NodeFailure(
          'unsupported_tool',
          `tool "${tool.name}" is of kind "${tool.kind}", which this runner cannot run yet`,
        );
    }
  }
}
