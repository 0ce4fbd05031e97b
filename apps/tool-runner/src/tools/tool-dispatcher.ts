import type { NodeTask } from '@flowstack/contracts';
import type { BuiltinToolRunner } from '../builtin/builtin-tool.runner';
import type { HttpToolExecutor } from '../http/http-tool.executor';
import type { SandboxedToolRunner } from '../sandbox/sandboxed-tool.runner';
import { NodeFailure } from '../work/node-failure';

/** A tool to run: its kind and its config (a registered tool's, or an inline one's without `kind`). */
export interface ToolToRun {
  kind: string;
  config: Record<string, unknown>;
  /** For messages: the registered tool's name, or "inline". */
  name?: string;
}

/** What a tool call may see of its task (a tool node's, or the agent_call node's that called it). */
export type ToolTask = Pick<NodeTask, 'scope' | 'workspaceId' | 'executionId' | 'taskId'> & { node: { id: string } };

export interface ToolDispatcherDeps {
  http: HttpToolExecutor;
  builtin: BuiltinToolRunner;
  sandboxed: SandboxedToolRunner;
}

/**
 * Runs a tool of any kind with arguments already made (a tool node's rendered `args`, or an
 * agent's call arguments, which are data): one place for tool nodes, agent tools and, later,
 * `/tools/{id}/test`. A kind this runner does not know fails with `unsupported_tool`.
 */
export class ToolDispatcher {
  constructor(private readonly deps: ToolDispatcherDeps) {}

  run(tool: ToolToRun, args: unknown, task: ToolTask, signal: AbortSignal): Promise<unknown> {
    switch (tool.kind) {
      case 'http':
        return this.deps.http.run({ ...tool.config, kind: 'http' }, args, task, signal);
      case 'builtin':
        return this.deps.builtin.run(tool.config, args, task, signal);
      case 'python':
      case 'shell':
        return this.deps.sandboxed.run(tool.kind, tool.config, args, task, signal);
      default:
        return Promise.reject(
          new NodeFailure(
            'unsupported_tool',
            `tool ${tool.name ?? ''} of kind "${tool.kind}" is not supported by this runner`.replace('  ', ' '),
          ),
        );
    }
  }
}
