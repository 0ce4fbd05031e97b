import type { EventPublisher, OutboundMessage, StoredEvent } from '@flowstack/event-store';
import type { ExecutionHandler } from '../executions/execution.handler';
import { toExecutionEvent } from '../executions/execution-events.codec';
import type { TaskDispatcher } from './task.dispatcher';
import type { TaskGateStore } from '../admission/task-gate.store';

/**
 * What the outbox relay publishes for events a crash (or a failed fast-path publish) may have
 * left unpublished: the events themselves and, for remote nodes still waiting on their scheduled
 * attempt, their node tasks (rebuilt from the folded state; JetStream drops the ones the fast
 * path already sent). Events this process's fast path got acked never get here (the ledger).
 */
export class RecoveryPublisher implements EventPublisher {
  constructor(
    private readonly events: EventPublisher,
    private readonly executions: ExecutionHandler,
    private readonly dispatcher: TaskDispatcher,
    // The per-workspace in-flight limit: tasks it holds back are not sent by recovery either.
    private readonly gate?: TaskGateStore,
  ) {}

  async publish(stored: StoredEvent[], alongside?: readonly OutboundMessage[]): Promise<void> {
    await this.events.publish(stored, alongside);
    const scheduled = new Map<string, StoredEvent[]>();
    for (const event of stored) {
      if (event.type !== 'NodeScheduled' || (event.data as { mode?: string }).mode !== 'remote') continue;
      const list = scheduled.get(event.streamId) ?? [];
      list.push(event);
      scheduled.set(event.streamId, list);
    }
    for (const [streamId, events] of scheduled) {
      const { state } = await this.executions.load(streamId, events[0].workspaceId);
      const messages = await this.dispatcher.taskMessages(state, events.map(toExecutionEvent), true);
      const held = this.gate && this.gate.limit > 0 ? await this.gate.waitingAmong(messages.map((m) => m.msgId)) : new Set();
      await this.dispatcher.publish(messages.filter((m) => !held.has(m.msgId)));
    }
  }
}
