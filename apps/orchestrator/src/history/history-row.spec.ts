import type { ExecutionEvent } from '@flowstack/contracts';
import { changesHistory, evolveHistoryRow, type HistoryRow } from './history-row';

const id = 'e1';
const change = (event: ExecutionEvent) => ({ executionId: id, workspaceId: 'ws1', event });
const started = (startedAt = '2026-01-01T00:00:00.000Z'): ExecutionEvent => ({
  type: 'ExecutionStarted',
  data: {
    executionId: id,
    workspaceId: 'ws1',
    workflowId: 'wf1',
    workflowVersion: 3,
    graph: { entry_point: 'in', nodes: [{ id: 'in', type: 'input' }], edges: [] },
    input: {},
    startedAt,
    trigger: { type: 'schedule', by: 'sched-1' },
    parentId: 'p1',
  },
});
const completed = (cost: number): ExecutionEvent => ({
  type: 'NodeCompleted',
  data: { nodeId: 'in', attempt: 1, taskId: 't', output: null, startedAt: 'x', completedAt: 'x', durationMs: 1, cost },
});
const failed: ExecutionEvent = {
  type: 'ExecutionFailed',
  data: { error: { code: 'timeout', message: 'late' }, failedAt: '2026-01-01T00:00:05.000Z', durationMs: 5000.4, totalCost: 9 },
};
const fold = (events: ExecutionEvent[], from: HistoryRow | null = null): HistoryRow | null =>
  events.reduce((row, e) => evolveHistoryRow(row, change(e)), from);

describe('evolveHistoryRow', () => {
  it('ExecutionStarted makes the running row with the trigger, parent and start', () => {
    expect(fold([started()])).toEqual({
      id,
      workspaceId: 'ws1',
      workflowId: 'wf1',
      workflowVersion: 3,
      status: 'running',
      triggerType: 'schedule',
      triggerBy: 'sched-1',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
      durationMs: null,
      totalCost: 0,
      errorCode: null,
      parentId: 'p1',
      deletedAt: null,
      deletedBy: null,
    });
  });

  it('a queued (pending) row starts; a row past pending is left as it is (same object)', () => {
    const pending = { ...fold([started('2025-12-31T23:00:00.000Z')])!, status: 'pending' as const };
    expect(fold([started()], pending)).toMatchObject({ status: 'running', startedAt: '2026-01-01T00:00:00.000Z' });
    const running = fold([started()])!;
    expect(evolveHistoryRow(running, change(started('2027-01-01T00:00:00.000Z')))).toBe(running);
  });

  it('events other than the start change no missing row', () => {
    expect(fold([completed(5), failed])).toBeNull();
  });

  it('costs add up while active; the end sets status, times, rounded duration, total and error code', () => {
    expect(fold([started(), completed(5), completed(0), completed(7)])?.totalCost).toBe(12);
    expect(fold([started(), completed(5), failed])).toMatchObject({
      status: 'failed',
      finishedAt: '2026-01-01T00:00:05.000Z',
      durationMs: 5000,
      totalCost: 9,
      errorCode: 'timeout',
    });
    // A cost recorded after the end changes nothing.
    const ended = fold([started(), failed])!;
    expect(evolveHistoryRow(ended, change(completed(5)))).toBe(ended);
  });

  it('a gate waits and resumes only an active run', () => {
    const requested: ExecutionEvent = {
      type: 'ApprovalRequested',
      data: { nodeId: 'g', attempt: 1, prompt: 'ok?', approverRole: 'editor', requestedAt: 'x' },
    };
    expect(fold([started(), requested])?.status).toBe('awaiting_approval');
    const ended = fold([started(), failed])!;
    expect(evolveHistoryRow(ended, change(requested))).toBe(ended);
  });

  it('a retry reopens only a failed run; a delete marks once', () => {
    const retried = fold([started(), failed, { type: 'ExecutionRetried', data: {} } as unknown as ExecutionEvent]);
    expect(retried).toMatchObject({ status: 'running', finishedAt: null, durationMs: null, errorCode: null, totalCost: 9 });
    const deleted = fold([started(), failed, { type: 'ExecutionDeleted', data: { by: 'u1', deletedAt: 'd1' } }])!;
    expect(deleted).toMatchObject({ deletedAt: 'd1', deletedBy: 'u1' });
    expect(evolveHistoryRow(deleted, change({ type: 'ExecutionDeleted', data: { by: 'u2', deletedAt: 'd2' } }))).toBe(deleted);
  });
});

describe('changesHistory', () => {
  it('selects the lifecycle events and only costed node completions', () => {
    expect(changesHistory(started())).toBe(true);
    expect(changesHistory(failed)).toBe(true);
    expect(changesHistory(completed(3))).toBe(true);
    expect(changesHistory(completed(0))).toBe(false);
    expect(changesHistory({ type: 'NodeScheduled', data: {} } as unknown as ExecutionEvent)).toBe(false);
  });
});
