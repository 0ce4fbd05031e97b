import type { NodeTask } from '@flowstack/contracts';
import { NodeFailure } from './node-failure';
import type { NodeExecutor, NodeOutcome } from './node-executor';

/**
 * Runs a `tool` node by the kind of its tool (`http` now; `mcp`, `python`, `shell`, `builtin` and
 * registered tools by `toolId` slot in here as executors of their own).
 */
export class ToolNodeExecutor implements NodeExecutor {
  constructor(private readonly byKind: ReadonlyMap<string, NodeExecutor>) {}

  execute(task: NodeTask, signal: AbortSignal): Promise<NodeOutcome> {
    const tool = task.node.config?.tool as { kind?: unknown } | undefined;
    const kind = typeof tool?.kind === 'string' ? tool.kind : undefined;
    const executor = kind ? this.byKind.get(kind) : undefined;
    if (!executor) {
      throw new NodeFailure('unsupported_tool', `tool kind "${kind ?? '(none)'}" is not supported by this runner`);
    }
    return executor.execute(task, signal);
  }
}
