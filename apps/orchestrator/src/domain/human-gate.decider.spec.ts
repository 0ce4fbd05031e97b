import type { ExecutionEvent, GraphNode, WorkflowGraph } from '@flowstack/contracts';
import type { CancelExecution, DecideApproval, ExecutionCommand, FireTimer } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { at, completeNode, executionStarted, given, graphOf, node, nodeScheduled, T0, taskId } from './execution.fixtures';
import { toExecutionView } from './execution.view';

/** in -> gate -(approved)-> ship, -(rejected)-> stop; optionally in -> side (a tool) in parallel. */
function gateGraph(config: Record<string, unknown> = { prompt: 'Ship it?' }, side = false): WorkflowGraph {
  const gate: GraphNode = { id: 'gate', type: 'human_gate', config };
  return graphOf(
    [node('in', 'input'), gate, node('ship', 'tool'), node('stop', 'output'), ...(side ? [node('side', 'tool')] : [])],
    [['in', 'gate'], ['gate', 'ship', 'approved'], ['gate', 'stop', 'rejected'], ...(side ? ([['in', 'side']] as const) : [])],
  );
}

function history(graph: WorkflowGraph, ...commands: ExecutionCommand[]): ExecutionEvent[] {
  const events: ExecutionEvent[] = [executionStarted(graph, T0), nodeScheduled('in', 'inline')];
  for (const command of [completeNode('in', { n: 1 }, { now: at(1) }), ...commands]) {
    events.push(...decide(command, foldEvents(events)));
  }
  return events;
}

const decideGate = (
  decision: 'approved' | 'rejected',
  now: string,
  role: DecideApproval['data']['role'] | null = 'editor',
  extra: Partial<DecideApproval['data']> = {},
): DecideApproval => ({
  type: 'DecideApproval',
  data: { nodeId: 'gate', decision, by: 'user-9', ...(role ? { role } : {}), now, ...extra },
});
const fire = (timerId: string, now: string): FireTimer => ({ type: 'FireTimer', data: { timerId, nodeId: 'gate', now } });

describe('human_gate: requesting approval', () => {
  it('schedules the gate in mode gate with ApprovalRequested (approver role editor by default, no timer)', () => {
    const graph = gateGraph();
    given(executionStarted(graph, T0), nodeScheduled('in', 'inline'))
      .when(completeNode('in', { n: 1 }, { now: at(1) }))
      .then([
        { type: 'NodeCompleted', data: expect.objectContaining({ nodeId: 'in' }) as never },
        { type: 'NodeScheduled', data: { nodeId: 'gate', attempt: 1, taskId: taskId('gate'), mode: 'gate', scheduledAt: at(1) } },
        {
          type: 'ApprovalRequested',
          data: { nodeId: 'gate', attempt: 1, prompt: 'Ship it?', approverRole: 'editor', requestedAt: at(1) },
        },
      ]);
  });

  it('with timeoutSeconds: the request names its due time and an approval_timeout timer is recorded', () => {
    const graph = gateGraph({ prompt: 'Ship it?', approverRole: 'admin', timeoutSeconds: 90, onTimeout: 'approved' });
    const events = history(graph);
    expect(events.slice(-2)).toStrictEqual([
      {
        type: 'ApprovalRequested',
        data: {
          nodeId: 'gate',
          attempt: 1,
          prompt: 'Ship it?',
          approverRole: 'admin',
          requestedAt: at(1),
          dueAt: at(91),
          timerId: 'approval:gate:1',
          onTimeout: 'approved',
        },
      },
      {
        type: 'TimerScheduled',
        data: { timerId: 'approval:gate:1', kind: 'approval_timeout', nodeId: 'gate', attempt: 1, dueAt: at(91) },
      },
    ]);
  });

  it('the execution is awaiting_approval while the gate waits and nothing else works; the view shows the request', () => {
    const state = foldEvents(history(gateGraph({ prompt: 'Ship it?', timeoutSeconds: 60 })));
    expect(state.status).toBe('awaiting_approval');
    if (state.status === 'pending') return;
    expect(toExecutionView(state).nodes.gate).toEqual({
      status: 'awaiting_approval',
      attempts: 1,
      approval: { prompt: 'Ship it?', approverRole: 'editor', requestedAt: at(1), dueAt: at(61), onTimeout: 'rejected' },
    });
  });

  it('stays running while another branch works, and awaits approval once that branch is done', () => {
    const graph = gateGraph({ prompt: 'Ship it?' }, true);
    const waiting = history(graph);
    expect(foldEvents(waiting).status).toBe('running');
    const sideDone = [...waiting, ...decide(completeNode('side', 'ok', { now: at(2) }), foldEvents(waiting))];
    expect(foldEvents(sideDone).status).toBe('awaiting_approval');
  });

  it('ignores a node result for the gate (only a decision completes it)', () => {
    given(...history(gateGraph()))
      .when(completeNode('gate', { decision: 'approved' }, { now: at(2) }))
      .thenNothingHappened();
  });
});

describe('human_gate: DecideApproval', () => {
  const graph = gateGraph();
  const waiting = history(graph);

  it('approved by an editor: ApprovalDecided, the gate completes with {decision, comment, by}, the approved edge runs', () => {
    given(...waiting)
      .when(decideGate('approved', at(30), 'editor', { comment: 'looks right' }))
      .then([
        {
          type: 'ApprovalDecided',
          data: {
            nodeId: 'gate',
            attempt: 1,
            decision: 'approved',
            by: 'user-9',
            role: 'editor',
            comment: 'looks right',
            decidedAt: at(30),
            timedOut: false,
          },
        },
        {
          type: 'NodeCompleted',
          data: {
            nodeId: 'gate',
            attempt: 1,
            taskId: taskId('gate'),
            output: { decision: 'approved', comment: 'looks right', by: 'user-9' },
            startedAt: at(1),
            completedAt: at(30),
            durationMs: 29_000,
            cost: 0,
          },
        },
        {
          type: 'NodeScheduled',
          data: { nodeId: 'ship', attempt: 1, taskId: taskId('ship'), mode: 'remote', scheduledAt: at(30) },
        },
        { type: 'NodeSkipped', data: { nodeId: 'stop', skippedAt: at(30) } },
      ]);
  });

  it('rejected: the rejected edge runs, the approved branch is skipped; the comment is null when absent', () => {
    const events = decide(decideGate('rejected', at(30)), foldEvents(waiting));
    expect(events.map((e) => e.type)).toEqual(['ApprovalDecided', 'NodeCompleted', 'NodeSkipped', 'NodeScheduled']);
    expect(events[0].data).toMatchObject({ decision: 'rejected', comment: null });
    expect(events[2].data).toMatchObject({ nodeId: 'ship' });
    expect(events[3].data).toMatchObject({ nodeId: 'stop', mode: 'inline' });
    const state = foldEvents([...waiting, ...events]);
    expect(state.status).toBe('running');
  });

  it('an admin satisfies an editor gate; a viewer satisfies a viewer gate', () => {
    expect(decide(decideGate('approved', at(30), 'admin'), foldEvents(waiting))[0].type).toBe('ApprovalDecided');
    const viewerGate = history(gateGraph({ prompt: 'ok?', approverRole: 'viewer' }));
    expect(decide(decideGate('approved', at(30), 'viewer'), foldEvents(viewerGate))[0].type).toBe('ApprovalDecided');
  });

  it('refuses a viewer on a gate with no approverRole (editor or above), an editor on an admin gate, and no role at all', () => {
    given(...waiting)
      .when(decideGate('approved', at(30), 'viewer'))
      .thenThrows('approver_role_required', "deciding node 'gate' needs the editor role or a stronger one (you are viewer)");
    given(...history(gateGraph({ prompt: 'ok?', approverRole: 'admin' })))
      .when(decideGate('approved', at(30), 'editor'))
      .thenThrows('approver_role_required', "deciding node 'gate' needs the admin role or a stronger one (you are editor)");
    given(...waiting)
      .when(decideGate('approved', at(30), null))
      .thenThrows('approver_role_required', "deciding node 'gate' needs the editor role or a stronger one (you are no member)");
  });

  it('refuses a second decision with not_awaiting_approval', () => {
    const decided = [...waiting, ...decide(decideGate('approved', at(30)), foldEvents(waiting))];
    given(...decided)
      .when(decideGate('rejected', at(31)))
      .thenThrows('not_awaiting_approval', "node 'gate' is not awaiting approval (it is succeeded)");
  });

  it('refuses a decision for a node that is not a waiting gate, and for a node not in the graph', () => {
    given(...waiting)
      .when(decideGate('approved', at(30), 'editor', { nodeId: 'ship' }))
      .thenThrows('not_awaiting_approval', "node 'ship' is not awaiting approval (it is pending)");
    given(...waiting)
      .when(decideGate('approved', at(30), 'editor', { nodeId: 'ghost' }))
      .thenThrows('unknown_node', "node 'ghost' is not in the graph of execution exec-1");
  });

  it('refuses a decision on a finished execution, and on one that never started', () => {
    const cancel: CancelExecution = { type: 'CancelExecution', data: { by: 'user-1', now: at(5) } };
    const cancelled = [...waiting, ...decide(cancel, foldEvents(waiting))];
    given(...cancelled)
      .when(decideGate('approved', at(30)))
      .thenThrows('execution_finished', 'execution exec-1 is cancelled already');
    given()
      .when(decideGate('approved', at(30)))
      .thenThrows('execution_not_started', 'DecideApproval needs a started execution');
  });

  it('cancel while awaiting approval cancels the gate (and its timer then fires into nothing)', () => {
    const timed = history(gateGraph({ prompt: 'ok?', timeoutSeconds: 60 }));
    const cancel: CancelExecution = { type: 'CancelExecution', data: { by: 'user-1', reason: 'no longer needed', now: at(5) } };
    const events = decide(cancel, foldEvents(timed));
    expect(events).toMatchObject([{ type: 'ExecutionCancelled', data: { cancelledNodes: ['gate', 'ship', 'stop'] } }]);
    const state = foldEvents([...timed, ...events]);
    expect(state.status !== 'pending' && [state.status, state.nodes.gate.status]).toEqual(['cancelled', 'cancelled']);
    given(...timed, ...events)
      .when(fire('approval:gate:1', at(61)))
      .thenNothingHappened();
  });
});

describe('human_gate: timeout', () => {
  it('decides onTimeout by system when its approval_timeout fires', () => {
    const timed = history(gateGraph({ prompt: 'ok?', timeoutSeconds: 60, onTimeout: 'approved' }));
    given(...timed)
      .when(fire('approval:gate:1', at(61.5)))
      .then([
        {
          type: 'TimerFired',
          data: {
            timerId: 'approval:gate:1',
            kind: 'approval_timeout',
            nodeId: 'gate',
            attempt: 1,
            dueAt: at(61),
            firedAt: at(61.5),
          },
        },
        {
          type: 'ApprovalDecided',
          data: {
            nodeId: 'gate',
            attempt: 1,
            decision: 'approved',
            by: 'system',
            comment: null,
            decidedAt: at(61.5),
            timedOut: true,
          },
        },
        {
          type: 'NodeCompleted',
          data: {
            nodeId: 'gate',
            attempt: 1,
            taskId: taskId('gate'),
            output: { decision: 'approved', comment: null, by: 'system' },
            startedAt: at(1),
            completedAt: at(61.5),
            durationMs: 60_500,
            cost: 0,
          },
        },
        {
          type: 'NodeScheduled',
          data: { nodeId: 'ship', attempt: 1, taskId: taskId('ship'), mode: 'remote', scheduledAt: at(61.5) },
        },
        { type: 'NodeSkipped', data: { nodeId: 'stop', skippedAt: at(61.5) } },
      ]);
  });

  it('rejects on timeout when onTimeout is absent', () => {
    const timed = history(gateGraph({ prompt: 'ok?', timeoutSeconds: 60 }));
    const events = decide(fire('approval:gate:1', at(61)), foldEvents(timed));
    expect(events[1]).toMatchObject({ type: 'ApprovalDecided', data: { decision: 'rejected', by: 'system', timedOut: true } });
  });

  it('a timer that fires after a member decided is a no-op', () => {
    const timed = history(gateGraph({ prompt: 'ok?', timeoutSeconds: 60 }));
    const decided = [...timed, ...decide(decideGate('approved', at(10)), foldEvents(timed))];
    given(...decided)
      .when(fire('approval:gate:1', at(61)))
      .thenNothingHappened();
  });

  it('a decision after the timeout decided is refused as a second decision', () => {
    const timed = history(gateGraph({ prompt: 'ok?', timeoutSeconds: 60 }));
    const timedOut = [...timed, ...decide(fire('approval:gate:1', at(61)), foldEvents(timed))];
    given(...timedOut)
      .when(decideGate('approved', at(62)))
      .thenThrows('not_awaiting_approval', "node 'gate' is not awaiting approval (it is succeeded)");
  });
});
