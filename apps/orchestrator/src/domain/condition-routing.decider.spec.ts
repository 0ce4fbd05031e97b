import type { ExecutionEvent } from '@flowstack/contracts';
import {
  at,
  completeNode,
  executionStarted,
  given,
  graphOf,
  node,
  nodeCompleted,
  nodeScheduled,
  nodeSkipped,
  ran,
} from './execution.fixtures';

// in -> check -true-> approve -> notify
//             -false-> reject -> archive
const branches = graphOf(
  [
    node('in', 'input'),
    node('check', 'condition'),
    node('approve', 'tool'),
    node('notify', 'tool'),
    node('reject', 'tool'),
    node('archive', 'tool'),
  ],
  [
    ['in', 'check'],
    ['check', 'approve', 'true'],
    ['check', 'reject', 'false'],
    ['approve', 'notify'],
    ['reject', 'archive'],
  ],
);
const checking: ExecutionEvent[] = [executionStarted(branches), ...ran('in', 'inline', 1), nodeScheduled('check', 'inline')];

describe('CompleteNode on a condition: routing', () => {
  it('takes the branch whose label matches and skips the other branch to its end', () => {
    given(...checking)
      .when(completeNode('check', true, { now: at(2) }))
      .then([
        nodeCompleted('check', true, { now: at(2) }),
        nodeScheduled('approve', 'remote', at(2)),
        nodeSkipped('reject', at(2)),
        nodeSkipped('archive', at(2)),
      ]);
  });

  it('takes the false branch on false', () => {
    given(...checking)
      .when(completeNode('check', false))
      .then([nodeCompleted('check', false), nodeSkipped('approve'), nodeSkipped('notify'), nodeScheduled('reject', 'remote')]);
  });

  it('matches case labels and numbers by their text', () => {
    const cases = graphOf(
      [node('in', 'input'), node('tier', 'condition'), node('gold', 'tool'), node('three', 'tool')],
      [
        ['in', 'tier'],
        ['tier', 'gold', 'gold'],
        ['tier', 'three', '3'],
      ],
    );
    const deciding = [executionStarted(cases), ...ran('in', 'inline', 1), nodeScheduled('tier', 'inline')];
    given(...deciding)
      .when(completeNode('tier', 'gold'))
      .then([nodeCompleted('tier', 'gold'), nodeScheduled('gold', 'remote'), nodeSkipped('three')]);
    given(...deciding)
      .when(completeNode('tier', 3))
      .then([nodeCompleted('tier', 3), nodeSkipped('gold'), nodeScheduled('three', 'remote')]);
  });

  it('falls back to the default edge when no label matches', () => {
    const withDefault = graphOf(
      [node('in', 'input'), node('tier', 'condition'), node('gold', 'tool'), node('other', 'tool')],
      [
        ['in', 'tier'],
        ['tier', 'gold', 'gold'],
        ['tier', 'other', 'default'],
      ],
    );
    given(executionStarted(withDefault), ...ran('in', 'inline', 1), nodeScheduled('tier', 'inline'))
      .when(completeNode('tier', 'silver'))
      .then([nodeCompleted('tier', 'silver'), nodeSkipped('gold'), nodeScheduled('other', 'remote')]);
  });

  it('prefers a matching label over the default edge', () => {
    const withDefault = graphOf(
      [node('in', 'input'), node('tier', 'condition'), node('gold', 'tool'), node('other', 'tool')],
      [
        ['in', 'tier'],
        ['tier', 'other', 'default'],
        ['tier', 'gold', 'gold'],
      ],
    );
    given(executionStarted(withDefault), ...ran('in', 'inline', 1), nodeScheduled('tier', 'inline'))
      .when(completeNode('tier', 'gold'))
      .then([nodeCompleted('tier', 'gold'), nodeScheduled('gold', 'remote'), nodeSkipped('other')]);
  });

  it('skips everything downstream when no label matches and there is no default, and completes the run', () => {
    given(...checking)
      .when(completeNode('check', 'maybe', { now: at(4) }))
      .then([
        nodeCompleted('check', 'maybe', { now: at(4) }),
        nodeSkipped('approve', at(4)),
        nodeSkipped('notify', at(4)),
        nodeSkipped('reject', at(4)),
        nodeSkipped('archive', at(4)),
        { type: 'ExecutionCompleted', data: { output: null, completedAt: at(4), durationMs: 4000, totalCost: 0 } },
      ]);
  });

  it('ignores `when` on edges that leave a node that is not a condition', () => {
    const labelled = graphOf([node('in', 'input'), node('a', 'tool')], [['in', 'a', 'false']]);
    given(executionStarted(labelled), nodeScheduled('in', 'inline'))
      .when(completeNode('in', true))
      .then([nodeCompleted('in', true), nodeScheduled('a', 'remote')]);
  });
});

describe('CompleteNode on a condition: joins', () => {
  // in -> check -true-> fast -> merge;  check -false-> slow -> merge
  const rejoin = graphOf(
    [node('in', 'input'), node('check', 'condition'), node('fast', 'tool'), node('slow', 'tool'), node('merge', 'transform')],
    [
      ['in', 'check'],
      ['check', 'fast', 'true'],
      ['check', 'slow', 'false'],
      ['fast', 'merge'],
      ['slow', 'merge'],
    ],
  );

  it('skips one parent of a join and keeps the join waiting for the other', () => {
    given(executionStarted(rejoin), ...ran('in', 'inline', 1), nodeScheduled('check', 'inline'))
      .when(completeNode('check', true))
      .then([nodeCompleted('check', true), nodeScheduled('fast', 'remote'), nodeSkipped('slow')]);
  });

  it('runs the join once the parent that was not skipped succeeds', () => {
    given(
      executionStarted(rejoin),
      ...ran('in', 'inline', 1),
      ...ran('check', 'inline', true),
      nodeScheduled('fast', 'remote'),
      nodeSkipped('slow'),
    )
      .when(completeNode('fast', 'F', { now: at(7) }))
      .then([nodeCompleted('fast', 'F', { now: at(7) }), nodeScheduled('merge', 'inline', at(7))]);
  });

  it('skips a join whose parents were all skipped', () => {
    // Both branches hang off the untaken `true` label, so the join loses every parent.
    const deadJoin = graphOf(
      [node('in', 'input'), node('check', 'condition'), node('x', 'tool'), node('y', 'tool'), node('j', 'transform')],
      [
        ['in', 'check'],
        ['check', 'x', 'true'],
        ['check', 'y', 'true'],
        ['x', 'j'],
        ['y', 'j'],
      ],
    );
    given(executionStarted(deadJoin), ...ran('in', 'inline', 1), nodeScheduled('check', 'inline'))
      .when(completeNode('check', false))
      .then([
        nodeCompleted('check', false),
        nodeSkipped('x'),
        nodeSkipped('y'),
        nodeSkipped('j'),
        { type: 'ExecutionCompleted', data: { output: null, completedAt: at(0), durationMs: 0, totalCost: 0 } },
      ]);
  });

  it('runs a join fed directly by an untaken condition edge once its other parent succeeds', () => {
    // in -> check -false-> report;  in -> gather -> report. The condition says true: its edge into
    // `report` is not taken, but `gather`'s is, so `report` runs after both have resolved.
    const mixed = graphOf(
      [node('in', 'input'), node('check', 'condition'), node('gather', 'tool'), node('report', 'output')],
      [
        ['in', 'check'],
        ['in', 'gather'],
        ['check', 'report', 'false'],
        ['gather', 'report'],
      ],
    );
    const running = [
      executionStarted(mixed),
      ...ran('in', 'inline', 1),
      nodeScheduled('check', 'inline'),
      nodeScheduled('gather', 'remote'),
    ];
    given(...running)
      .when(completeNode('check', true))
      .then([nodeCompleted('check', true)]);
    given(...running, nodeCompleted('check', true))
      .when(completeNode('gather', 'G'))
      .then([nodeCompleted('gather', 'G'), nodeScheduled('report', 'inline')]);
  });
});
