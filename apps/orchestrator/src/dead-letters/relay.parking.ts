import type { RelayParking, StoredEvent } from '@flowstack/event-store';
import { encodeJson } from '@flowstack/messaging';
import type { DeadLetterRecorder, NodeToFail } from './dead-letter.recorder';

/** Where the relay's letters say they came from: the event store's log, read by the named relay. */
export const RELAY_LETTER_STREAM = 'event_store.events';

const EXECUTION_STREAM = /^execution-(.+)$/;

/**
 * The orchestrator's side of the relay's parking port: an event the relay gives up on becomes a
 * dead letter (sequence = its global position). A `NodeScheduled` of a remote node that cannot go
 * out also means its task never did, so that node fails with `event_unpublishable` rather than
 * waiting forever; other events are recorded only (the execution itself is in Postgres).
 */
export class DeadLetterRelayParking implements RelayParking {
  constructor(
    private readonly recorder: DeadLetterRecorder,
    private readonly relayName: string,
    readonly maxAttempts = 5,
  ) {}

  async park(event: StoredEvent, reason: string, attempts: number): Promise<void> {
    const executionId = EXECUTION_STREAM.exec(event.streamId)?.[1];
    await this.recorder.park(
      {
        source: 'relay',
        stream: RELAY_LETTER_STREAM,
        consumer: `relay:${this.relayName}`,
        sequence: event.globalPosition,
        subject: `${event.streamId} #${event.streamPosition} ${event.type}`,
        workspaceId: event.workspaceId || undefined,
        ...(executionId ? { executionId } : {}),
        error: `the event could not be published to EVENTS: ${reason}`,
        deliveries: attempts,
        payload: encodeJson(event),
      },
      executionId ? nodeToFail(event, executionId, reason) : undefined,
    );
  }
}

function nodeToFail(event: StoredEvent, executionId: string, reason: string): NodeToFail | undefined {
  const data = event.data as { nodeId?: string; attempt?: number; taskId?: string; mode?: string } | null;
  if (event.type !== 'NodeScheduled' || data?.mode !== 'remote' || !data.nodeId || !data.attempt || !data.taskId)
    return undefined;
  return {
    executionId,
    workspaceId: event.workspaceId,
    nodeId: data.nodeId,
    attempt: data.attempt,
    taskId: data.taskId,
    code: 'event_unpublishable',
    message: `the node's scheduling could not be published, so its task never went out; it was parked as a dead letter: ${reason}`,
  };
}
