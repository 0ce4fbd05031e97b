import { taskIdOf } from '@flowstack/contracts';
import { decide } from './execution.decider';
import {
  at,
  EXECUTION_ID,
  executionStarted,
  given,
  graphOf,
  node,
  nodeScheduled,
  ran,
  startExecution,
} from './execution.fixtures';
import { initialState } from './execution.state';

const linear = graphOf([node('in', 'input'), node('fetch', 'tool')], [['in', 'fetch']]);

describe('StartExecution', () => {
  it('records the start and schedules the entry point, inline for an input node', () => {
    given()
      .when(startExecution(linear, at(0)))
      .then([executionStarted(linear, at(0)), nodeScheduled('in', 'inline', at(0))]);
  });

  it('schedules a remote entry point as remote', () => {
    const graph = graphOf([node('fetch', 'tool'), node('in', 'input')], [['fetch', 'in']]);
    given()
      .when(startExecution(graph))
      .then([executionStarted(graph), nodeScheduled('fetch', 'remote')]);
  });

  it('gives the entry task the id that WORK and results use (contracts taskIdOf)', () => {
    const [, scheduled] = decide(startExecution(linear), initialState());
    expect(scheduled).toMatchObject({ type: 'NodeScheduled', data: { taskId: taskIdOf(EXECUTION_ID, 'in', 1) } });
  });

  it('does nothing on an execution that already started', () => {
    given(executionStarted(linear), nodeScheduled('in', 'inline'))
      .when(startExecution(linear, at(5)))
      .thenNothingHappened();
  });

  it('does nothing on an execution that already finished', () => {
    given(executionStarted(linear), ...ran('in', 'inline', 1), ...ran('fetch', 'remote', 2), {
      type: 'ExecutionCompleted',
      data: { output: null, completedAt: at(0), durationMs: 0, totalCost: 0 },
    })
      .when(startExecution(linear, at(9)))
      .thenNothingHappened();
  });

  it('refuses a graph whose entry point is not one of its nodes', () => {
    const graph = { ...linear, entry_point: 'missing' };
    given()
      .when(startExecution(graph))
      .thenThrows('invalid_graph', "workflow graph cannot run: entry point 'missing' is not a node");
  });

  it('refuses a graph with a cycle, listing the problem', () => {
    const graph = graphOf(
      [node('in', 'input'), node('a', 'tool'), node('b', 'tool')],
      [
        ['in', 'a'],
        ['a', 'b'],
        ['b', 'a'],
      ],
    );
    given()
      .when(startExecution(graph))
      .thenThrows('invalid_graph', 'workflow graph cannot run: cycle: an edge leads back into a');
  });
});
