import { randomUUID } from 'node:crypto';
import type { WorkflowGraph } from '@flowstack/contracts';
import { systemContext } from '@flowstack/messaging';
import type { ExecutionHandler, HandleOutcome } from '../executions/execution.handler';

/** Which execution to start, in which workspace, with which input (fresh ids by default). */
export interface StartOptions {
  executionId?: string;
  workspaceId?: string;
  input?: Record<string, unknown>;
}

/**
 * Starts an execution of `graph` through the orchestrator's write path, as the start request does
 * (for tests that drive `ExecutionHandler` directly). Returns the ids used and the outcome.
 */
export async function startExecution(
  handler: ExecutionHandler,
  graph: WorkflowGraph,
  { executionId = randomUUID(), workspaceId = randomUUID(), input = {} }: StartOptions = {},
): Promise<{ executionId: string; workspaceId: string; outcome: HandleOutcome }> {
  const outcome = await handler.handle(
    executionId,
    workspaceId,
    () => ({
      type: 'StartExecution',
      data: {
        executionId,
        workspaceId,
        workflowId: randomUUID(),
        workflowVersion: 1,
        graph,
        input,
        trigger: { type: 'api' },
        now: new Date().toISOString(),
      },
    }),
    systemContext(workspaceId),
  );
  return { executionId, workspaceId, outcome };
}
