import type { NodeTask } from '@flowstack/contracts';
import { renderTemplate } from '@flowstack/workflow';
import { runnerContext, type RegisteredTools } from '../tools/registered-tools';
import type { ToolDispatcher, ToolToRun } from '../tools/tool-dispatcher';
import { NodeFailure } from './node-failure';
import type { NodeExecutor, NodeOutcome } from './node-executor';

/**
 * Runs a `tool` node: `{ toolId, mcpTool?, args }` reads the registered tool from the registry (as
 * the `system` actor `tool-runner`, in the task's workspace: another workspace's tool is
 * `tool_not_found`), `{ tool: { kind, ... }, args }` is an inline tool. `args` is rendered over
 * the task's scope, then the tool runs by its kind and its output is the node's.
 */
export class ToolNodeExecutor implements NodeExecutor {
  constructor(
    private readonly tools: ToolDispatcher,
    private readonly registered?: RegisteredTools,
  ) {}

  async execute(task: NodeTask, signal: AbortSignal): Promise<NodeOutcome> {
    const config = task.node.config ?? {};
    if (typeof config.toolId === 'string') return this.runRegistered(config, task, signal);
    const tool = this.inlineOf(config, task);
    return { output: await this.tools.run(tool, await this.argsOf(config, task), task, signal) };
  }

  private inlineOf(config: Record<string, unknown>, task: NodeTask): ToolToRun {
    const inline = config.tool as { kind?: unknown } | undefined;
    if (!inline || typeof inline !== 'object' || typeof inline.kind !== 'string') {
      throw new NodeFailure('invalid_config', `node "${task.node.id}" needs config.toolId or config.tool with a kind`);
    }
    const { kind, ...rest } = inline as Record<string, unknown> & { kind: string };
    return { kind, config: rest, name: 'inline' };
  }

  private async runRegistered(config: Record<string, unknown>, task: NodeTask, signal: AbortSignal): Promise<NodeOutcome> {
    if (!this.registered) throw new NodeFailure('unsupported_tool', 'this runner cannot read registered tools');
    const ctx = runnerContext(task.workspaceId, task.taskId);
    const tool = await this.registered.read(config.toolId as string, ctx);
    const mcpTool = config.mcpTool ?? config.toolName;
    if (mcpTool !== undefined && typeof mcpTool !== 'string') {
      throw new NodeFailure('invalid_config', 'config.mcpTool must be the name of a tool of the MCP server');
    }
    const args = (await this.argsOf(config, task)) ?? (tool.kind === 'mcp' ? {} : undefined);
    const output = await this.registered.run(tool, { ...(mcpTool ? { mcpTool } : {}), args }, task, ctx, signal);
    return { output };
  }

  /** Expressions that may run long go to the sandbox, where this workspace waits its turn. */
  private async argsOf(config: Record<string, unknown>, task: NodeTask): Promise<unknown> {
    return config.args === undefined ? undefined : renderTemplate(config.args, task.scope, { fairnessKey: task.workspaceId });
  }
}
