import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import { workSubject, type ExecutionEvent, type Namespace, type NodeTask } from '@flowstack/contracts';
import type { OutboundMessage } from '@flowstack/event-store';
import { JETSTREAM, NAMESPACE, ValueStore, encodeJson } from '@flowstack/messaging';
import { attemptTimeoutOf, isActive, scopeOf, type ExecutionState, type StartedExecution } from '../domain';
import { fitTaskScope, type TaskScope } from './task-scope.fit';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { attemptSpanContext, traceparentOf, tracingEnabled } from '@flowstack/service-kit';

const natsHeadersOf = (values: Record<string, string>): MsgHdrs => {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(values)) h.set(k, v);
  return h;
};

/**
 * Builds the node tasks for the remote nodes a decision scheduled, as WORK messages whose id is
 * the task id: the fast path publishes them with the decision's events, the relay's recovery
 * (after a crash) publishes them again, and JetStream keeps one.
 */
@Injectable()
export class TaskDispatcher {
  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(ValueStore) private readonly values: ValueStore,
  ) {}

  /**
   * The task messages for the remote `NodeScheduled` events among `events`, built from `state`
   * (the state after them). With `onlyStillScheduled`, nodes that have since finished or moved to
   * a later attempt get none: recovery must not re-run work. A scope too large for one message
   * even with references is stored out of band as one value (`scopeRef`).
   */
  async taskMessages(
    state: ExecutionState,
    events: readonly ExecutionEvent[],
    onlyStillScheduled = false,
  ): Promise<OutboundMessage[]> {
    if (state.status === 'pending') return [];
    // Recovery never dispatches work of a finished run (a refused hold fails it in the decision that scheduled).
    if (onlyStillScheduled && !isActive(state)) return [];
    const messages: OutboundMessage[] = [];
    let scope: TaskScope | undefined;
    for (const event of events) {
      if (event.type !== 'NodeScheduled' || event.data.mode !== 'remote') continue;
      const node = state.topology.nodes[event.data.nodeId];
      const nodeState = state.nodes[event.data.nodeId];
      if (!node || !nodeState) continue;
      if (onlyStillScheduled && (nodeState.status !== 'scheduled' || nodeState.attempts !== event.data.attempt)) continue;
      scope ??= await this.scopeOf(state);
      const timeoutMs = attemptTimeoutOf(state, node.id);
      const task: NodeTask = {
        taskId: event.data.taskId,
        executionId: state.executionId,
        workspaceId: state.workspaceId,
        node,
        attempt: event.data.attempt,
        ...scope,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      };
      messages.push({
        subject: workSubject(this.ns, node.type),
        msgId: task.taskId,
        data: task,
        // The attempt's span (recorded by the orchestrator once its result is in): the runner's parent.
        ...(tracingEnabled()
          ? { headers: { traceparent: traceparentOf(attemptSpanContext(state.executionId, task.taskId)) } }
          : {}),
      });
    }
    return messages;
  }

  private scopeOf(state: StartedExecution): Promise<TaskScope> {
    return fitTaskScope(scopeOf(state), (encoded, value) => this.values.put(state.workspaceId, encoded, value));
  }

  /** Publishes task messages on their own (recovery); resolves once JetStream acked them all. */
  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    await Promise.all(
      messages.map((m) =>
        this.js.publish(m.subject, encodeJson(m.data), {
          msgID: m.msgId,
          ...(m.headers ? { headers: natsHeadersOf(m.headers) } : {}),
        }),
      ),
    );
  }
}
