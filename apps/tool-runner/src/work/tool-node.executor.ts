import type { NodeTask } from '@flowstack/contracts';
import { renderTemplate } from '@flowstack/workflow';
import { runnerContext, type RegisteredTools } from '../tools/registered-tools';
import { NodeFailure } from './node-failure';
import type { NodeExecutor, NodeOutcome } from './node-executor';

/**
 * Runs a `tool` node: an inline tool (`{ tool: { kind, ... }, args }`) by the executor of its kind,
 * or a registered one (`{ toolId, mcpTool?, args }`) read from the registry in the task's
 * workspace, its `args` rendered over the task's scope first.
 */
export class ToolNodeExecutor implements NodeExecutor {
  constructor(
    private readonly byKind: ReadonlyMap<string, NodeExecutor>,
    private readonly registered?: RegisteredTools,
  ) {}

  async execute(task: NodeTask, signal: AbortSignal): Promise<NodeOutcome> {
    const config = task.node.config ?? {};
    if (typeof config.toolId === 'string' && this.registered) return this.runRegistered(config, task, signal);
    const tool = config.tool as { kind?: unknown } | undefined;
    const kind = typeof tool?.kind === 'string' ? tool.kind : undefined;
    const executor = kind ? this.byKind.get(kind) : undefined;
    if (!executor) {
      throw new NodeFailure('unsupported_tool', `tool kind "${kind ?? '(none)'}" is not supported by this runner`);
    }
    return executor.execute(task, signal);
  }

  private async runRegistered(config: Record<string, unknown>, task: NodeTask, signal: AbortSignal): Promise<NodeOutcome> {
    const registered = this.registered!;
    const ctx = runnerContext(task.workspaceId, task.taskId);
    const tool = await registered.read(config.toolId as string, ctx);
    const mcpTool = config.mcpTool ?? config.toolName;
    if (mcpTool !== undefined && typeof mcpTool !== 'string') {
      throw new NodeFailure('invalid_config', 'config.mcpTool must be the name of a tool of the MCP server');
    }
    const args =
      config.args === undefined ? {} : await renderTemplate(config.args, task.scope, { fairnessKey: task.workspaceId });
    const output = await registered.run(tool, { ...(mcpTool ? { mcpTool } : {}), args }, task, ctx, signal);
    return { output };
  }
}
