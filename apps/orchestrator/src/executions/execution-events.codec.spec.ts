import type { StoredEvent } from '@flowstack/event-store';
import { foldEvents, toExecutionView, type StartedExecution } from '../domain';
import { executionStarted, graphOf, node } from '../domain/execution.fixtures';
import { EXECUTION_EVENT_VERSION, toExecutionEvent, upcastData } from './execution-events.codec';

const stored = (position: number, type: string, data: unknown, schemaVersion = 1): StoredEvent => ({
  eventId: `e${position}`,
  streamId: 'execution-exec-1',
  streamPosition: position,
  globalPosition: position,
  transactionId: String(position),
  workspaceId: 'ws',
  type,
  schemaVersion,
  data,
  metadata: {},
  recordedAt: new Date(0),
});

/** Upcasting: version-1 events of an older shape read as today's. */
describe('execution event codec (upcasting)', () => {
  const graph = graphOf([node('in', 'input'), node('call', 'tool')], [['in', 'call']]);

  it('reads an ExecutionStarted recorded before triggers as started over the API', () => {
    const { trigger: _none, ...old } = (executionStarted(graph) as { data: Record<string, unknown> }).data;
    expect(toExecutionEvent(stored(1, 'ExecutionStarted', old)).data).toMatchObject({ trigger: { type: 'api' } });
  });

  it('reads a NodeFailed recorded before retry policies as final (willRetry false), and folds it', () => {
    const started = (executionStarted(graph) as { data: Record<string, unknown> }).data;
    const events = [
      stored(1, 'ExecutionStarted', started),
      stored(2, 'NodeScheduled', {
        nodeId: 'call',
        attempt: 1,
        taskId: 'exec-1:call:1',
        mode: 'remote',
        scheduledAt: started.startedAt,
      }),
      // The old shape: no willRetry, no nextAttempt.
      stored(3, 'NodeFailed', {
        nodeId: 'call',
        attempt: 1,
        taskId: 'exec-1:call:1',
        error: { code: 'http_status', message: '500' },
        failedAt: started.startedAt,
      }),
    ].map(toExecutionEvent);
    expect(events[2].data).toMatchObject({ willRetry: false });
    const view = toExecutionView(foldEvents(events) as StartedExecution);
    expect(view.nodes.call).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it("leaves today's shapes, non-objects and versions newer than this code as they are", () => {
    const today = { nodeId: 'n', willRetry: true };
    expect(upcastData('NodeFailed', EXECUTION_EVENT_VERSION, today)).toBe(today);
    expect(upcastData('NodeFailed', 1, null)).toBeNull();
    const newer = { shape: 'unknown' };
    expect(upcastData('NodeFailed', EXECUTION_EVENT_VERSION + 1, newer)).toBe(newer);
  });
});
