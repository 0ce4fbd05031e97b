import { toWsMessage } from './ws-message.mapper';

const at = '2026-12-01T10:00:00.000Z';
const map = (type: string, data: Record<string, unknown>) =>
  toWsMessage('exec-1', { seq: 7, type, data, recordedAt: at }, new Map());

describe('WebSocket messages of cancel and the human gate', () => {
  it('ApprovalRequested -> approval_requested (with dueAt and onTimeout when the gate times out)', () => {
    expect(
      map('ApprovalRequested', { nodeId: 'g', attempt: 1, prompt: 'Ship?', approverRole: 'editor', requestedAt: at }),
    ).toEqual({
      type: 'approval_requested',
      executionId: 'exec-1',
      seq: 7,
      at,
      nodeId: 'g',
      prompt: 'Ship?',
      approverRole: 'editor',
    });
    expect(
      map('ApprovalRequested', {
        nodeId: 'g',
        prompt: 'Ship?',
        approverRole: 'admin',
        dueAt: at,
        timerId: 't',
        onTimeout: 'approved',
      }),
    ).toMatchObject({ type: 'approval_requested', dueAt: at, onTimeout: 'approved' });
  });

  it('ApprovalDecided -> approval_decided', () => {
    const data = {
      nodeId: 'g',
      attempt: 1,
      decision: 'rejected',
      by: 'u1',
      role: 'admin',
      comment: 'no',
      decidedAt: at,
      timedOut: false,
    };
    expect(map('ApprovalDecided', data)).toEqual({
      type: 'approval_decided',
      executionId: 'exec-1',
      seq: 7,
      at,
      nodeId: 'g',
      decision: 'rejected',
      by: 'u1',
      comment: 'no',
      decidedAt: at,
      timedOut: false,
    });
  });

  it('ExecutionCancelled -> execution_complete with status cancelled, who and why', () => {
    const data = { by: 'u1', reason: 'stop', cancelledAt: at, durationMs: 1200, totalCost: 5, cancelledNodes: ['a'] };
    expect(map('ExecutionCancelled', data)).toEqual({
      type: 'execution_complete',
      executionId: 'exec-1',
      seq: 7,
      at,
      status: 'cancelled',
      by: 'u1',
      reason: 'stop',
      totalCost: 5,
      durationMs: 1200,
    });
  });
});

describe('WebSocket messages of retry and fork', () => {
  it('ExecutionRetried -> execution_retried, with who, why and what runs again', () => {
    const data = {
      by: 'u1',
      reason: 'fixed',
      retriedAt: at,
      previousStatus: 'failed',
      cycle: 2,
      nodes: ['a'],
      resetNodes: ['b'],
    };
    expect(map('ExecutionRetried', data)).toEqual({
      type: 'execution_retried',
      executionId: 'exec-1',
      seq: 7,
      at,
      by: 'u1',
      reason: 'fixed',
      cycle: 2,
      nodes: ['a'],
      resetNodes: ['b'],
    });
  });

  it('a copied NodeCompleted -> step_complete with copiedFrom; a run one has none', () => {
    const done = { nodeId: 'a', attempt: 0, durationMs: 3, output: 1 };
    expect(map('NodeCompleted', { ...done, copiedFrom: { executionId: 'src', seq: 4 } })).toMatchObject({
      type: 'step_complete',
      attempt: 0,
      copiedFrom: { executionId: 'src', seq: 4 },
    });
    expect(map('NodeCompleted', { ...done, attempt: 1 })).not.toHaveProperty('copiedFrom');
  });
});
