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
