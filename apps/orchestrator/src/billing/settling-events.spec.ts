import type { ExecutionEvent, WorkflowGraph } from '@flowstack/contracts';
import { foldEvents, type ExecutionState } from '../domain';
import { settlesCredits } from './settling-events';

const graph: WorkflowGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'ask', type: 'agent_call' },
    { id: 'free', type: 'tool' },
  ],
  edges: [
    { from: 'in', to: 'ask' },
    { from: 'in', to: 'free' },
  ],
};
const runWith = (costCaps?: Record<string, { maxCost: number }>): ExecutionState =>
  foldEvents([
    {
      type: 'ExecutionStarted',
      data: {
        executionId: 'e1',
        workspaceId: 'w1',
        workflowId: 'wf',
        workflowVersion: 1,
        graph,
        input: {},
        startedAt: '2026-01-01T00:00:00.000Z',
        trigger: { type: 'api' },
        ...(costCaps ? { costCaps } : {}),
      },
    },
  ]);
const completed = (nodeId: string): ExecutionEvent =>
  ({
    type: 'NodeCompleted',
    data: { nodeId, attempt: 1, taskId: `e1:${nodeId}:1`, output: {}, cost: 0, completedAt: '2026-01-01T00:00:02.000Z' },
  }) as ExecutionEvent;
const failed = (nodeId: string): ExecutionEvent =>
  ({
    type: 'NodeFailed',
    data: { nodeId, attempt: 1, taskId: `e1:${nodeId}:1`, error: { code: 'x', message: 'x' }, willRetry: false },
  }) as ExecutionEvent;
const ends: ExecutionEvent[] = [
  { type: 'ExecutionCompleted', data: { output: {}, completedAt: '2026-01-01T00:00:03.000Z', durationMs: 3000 } },
  {
    type: 'ExecutionFailed',
    data: { error: { code: 'x', message: 'x' }, failedAt: '2026-01-01T00:00:03.000Z', durationMs: 3000 },
  },
  { type: 'ExecutionCancelled', data: { by: 'u1', cancelledAt: '2026-01-01T00:00:03.000Z', durationMs: 3000 } },
] as ExecutionEvent[];

describe('settlesCredits', () => {
  it('marks the ends of a costed node and every end of a run with costed nodes', () => {
    const run = runWith({ ask: { maxCost: 900 } });
    expect(settlesCredits(run, completed('ask'))).toBe(true);
    expect(settlesCredits(run, failed('ask'))).toBe(true);
    for (const end of ends) expect(settlesCredits(run, end)).toBe(true);
  });

  it("leaves a free node's end, and events that settle nothing, unmarked in a costed run", () => {
    const run = runWith({ ask: { maxCost: 900 } });
    expect(settlesCredits(run, completed('free'))).toBe(false);
    expect(settlesCredits(run, failed('free'))).toBe(false);
    const scheduled = {
      type: 'NodeScheduled',
      data: { nodeId: 'ask', attempt: 1, taskId: 'e1:ask:1', mode: 'remote', scheduledAt: '2026-01-01T00:00:01.000Z' },
    } as ExecutionEvent;
    expect(settlesCredits(run, scheduled)).toBe(false);
  });

  it('marks nothing of a run without costed nodes (no costCaps, or only zero caps)', () => {
    for (const run of [runWith(), runWith({ ask: { maxCost: 0 } })]) {
      expect(settlesCredits(run, completed('ask'))).toBe(false);
      for (const end of ends) expect(settlesCredits(run, end)).toBe(false);
    }
  });
});
