import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import { workSubject, type ExecutionEvent, type Namespace, type NodeTask } from '@flowstack/contracts';
import { JETSTREAM, NAMESPACE, encodeJson } from '@flowstack/messaging';
import { scopeOf, type ExecutionState } from '../domain';

/**
 * Puts node tasks on WORK for the remote nodes a decision scheduled. The message id is the task id,
 * so the fast path (right after the append) and the relay's recovery (after a crash) can both
 * publish a task and JetStream keeps one.
 */
@Injectable()
export class TaskDispatcher {
  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  async dispatch(state: ExecutionState, events: readonly ExecutionEvent[], onlyStillScheduled = false): Promise<number> {
    if (state.status === 'pending') return 0;
    const tasks: NodeTask[] = [];
    let scope: ReturnType<typeof scopeOf> | undefined;
    for (const event of events) {
      if (event.type !== 'NodeScheduled' || event.data.mode !== 'remote') continue;
      const node = state.topology.nodes[event.data.nodeId];
      const nodeState = state.nodes[event.data.nodeId];
      if (!node || !nodeState) continue;
      // Recovery must not re-run work that already finished or was superseded by a later attempt.
      if (onlyStillScheduled && (nodeState.status !== 'scheduled' || nodeState.attempts !== event.data.attempt)) continue;
      scope ??= scopeOf(state);
      tasks.push({
        taskId: event.data.taskId,
        executionId: state.executionId,
        workspaceId: state.workspaceId,
        node,
        attempt: event.data.attempt,
        scope,
      });
    }
    await Promise.all(
      tasks.map((task) => this.js.publish(workSubject(this.ns, task.node.type), encodeJson(task), { msgID: task.taskId })),
    );
    return tasks.length;
  }
}
