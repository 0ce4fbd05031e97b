import type { ExecutionEvent, WorkflowGraph } from '@flowstack/contracts';
import { foldEvents } from '../domain';
import { holdsNeeded } from './credit-holds';

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
const started = (costCaps?: Record<string, { maxCost: number }>): ExecutionEvent => ({
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
});
const scheduled = (nodeId: string, attempt = 1): ExecutionEvent => ({
  type: 'NodeScheduled',
  data: { nodeId, attempt, taskId: `e1:${nodeId}:${attempt}`, mode: 'remote', scheduledAt: '2026-01-01T00:00:01.000Z' },
});

describe('holdsNeeded', () => {
  it('asks for a hold per remote attempt of a costed node, with the task id as hold id', () => {
    const events = [scheduled('ask'), scheduled('free')];
    const state = foldEvents([started({ ask: { maxCost: 900 } }), ...events]);
    expect(holdsNeeded(state, events)).toEqual([{ nodeId: 'ask', attempt: 1, holdId: 'e1:ask:1', amount: 900 }]);
  });

  it('asks nothing of a run without costCaps (free workflows, streams recorded before holds)', () => {
    const events = [scheduled('ask')];
    expect(holdsNeeded(foldEvents([started(), ...events]), events)).toEqual([]);
  });

  it('asks nothing once the hold is recorded, nor for an attempt the node moved past', () => {
    const held: ExecutionEvent = {
      type: 'NodeCostHeld',
      data: { nodeId: 'ask', attempt: 1, holdId: 'e1:ask:1', amount: 900, heldAt: '2026-01-01T00:00:01.000Z' },
    };
    const events = [scheduled('ask'), held];
    expect(holdsNeeded(foldEvents([started({ ask: { maxCost: 900 } }), ...events]), events)).toEqual([]);
    const later = foldEvents([started({ ask: { maxCost: 900 } }), scheduled('ask'), scheduled('ask', 2)]);
    expect(holdsNeeded(later, [scheduled('ask')])).toEqual([]);
    expect(holdsNeeded(later, [scheduled('ask', 2)])).toEqual([{ nodeId: 'ask', attempt: 2, holdId: 'e1:ask:2', amount: 900 }]);
  });
});
