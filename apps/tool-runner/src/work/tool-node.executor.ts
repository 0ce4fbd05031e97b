import { FlowstackError, Rpc, type NodeTask, type RequestContext, type ToolView } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { renderTemplate } from '@flowstack/workflow';
import type { ToolDispatcher, ToolToRun } from '../tools/tool-dispatcher';
import { NodeFailure } from './node-failure';
import type { NodeExecutor, NodeOutcome } from './node-executor';

/**
 * Runs a `tool` node: `{ toolId, args }` reads the registered tool from the registry (as the
 * `system` actor `tool-runner`, in the task's workspace: another workspace's tool is
 * `tool_not_found`), `{ tool: { kind, ... }, args }` is an inline tool. `args` is rendered over
 * the task's scope, then the tool runs by its kind and its output is the node's.
 */
export class ToolNodeExecutor implements NodeExecutor {
  constructor(
    private readonly tools: ToolDispatcher,
    private readonly rpc?: RpcClient,
  ) {}

  async execute(task: NodeTask, signal: AbortSignal): Promise<NodeOutcome> {
    const config = task.node.config ?? {};
    const tool = await this.toolOf(config, task);
    // Expressions that may run long go to the sandbox, where this workspace waits its turn.
    const args =
      config.args === undefined ? undefined : await renderTemplate(config.args, task.scope, { fairnessKey: task.workspaceId });
    return { output: await this.tools.run(tool, args, task, signal) };
  }

  private async toolOf(config: Record<string, unknown>, task: NodeTask): Promise<ToolToRun> {
    if (typeof config.toolId === 'string') return this.registered(config.toolId, task);
    const inline = config.tool as { kind?: unknown } | undefined;
    if (!inline || typeof inline !== 'object' || typeof inline.kind !== 'string') {
      throw new NodeFailure('invalid_config', `node "${task.node.id}" needs config.toolId or config.tool with a kind`);
    }
    const { kind, ...rest } = inline as Record<string, unknown> & { kind: string };
    return { kind, config: rest, name: 'inline' };
  }

  private async registered(toolId: string, task: NodeTask): Promise<ToolToRun> {
    if (!this.rpc) throw new NodeFailure('unsupported_tool', 'this runner cannot read registered tools');
    const ctx: RequestContext = {
      workspaceId: task.workspaceId,
      actor: { id: 'tool-runner', type: 'system' },
      correlationId: task.taskId,
    };
    try {
      const tool = await this.rpc.request<ToolView>(Rpc.registry.toolGet, { id: toolId }, ctx);
      return { kind: tool.kind, config: tool.config, name: `"${tool.name}"` };
    } catch (e) {
      if (e instanceof FlowstackError && e.code === 'not_found') {
        throw new NodeFailure('tool_not_found', `tool ${toolId} does not exist in this workspace`);
      }
      throw new NodeFailure('registry_unavailable', `reading tool ${toolId} failed: ${(e as Error).message}`, true);
    }
  }
}
