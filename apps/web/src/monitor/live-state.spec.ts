import { applyMessage, initialRunState, type LiveMessage } from './live-state';

const messages: LiveMessage[] = [
  { type: 'execution_start', seq: 1 },
  { type: 'step_start', seq: 2, nodeId: 'a', attempt: 1, at: 't1' },
  { type: 'step_complete', seq: 3, nodeId: 'a', durationMs: 12, output: { x: 1 }, at: 't2' },
  { type: 'step_skipped', seq: 4, nodeId: 'b' },
  { type: 'step_start', seq: 5, nodeId: 'c', attempt: 1 },
  { type: 'step_failed', seq: 6, nodeId: 'c', error: { code: 'boom' } },
  { type: 'execution_complete', seq: 7, status: 'failed', error: { code: 'boom' }, totalCost: 0.5, durationMs: 40 },
];

describe('run state from live messages', () => {
  it('folds node statuses, timings, outputs and the total cost', () => {
    const s = messages.reduce(applyMessage, initialRunState());
    expect(s.seq).toBe(7);
    expect(s.status).toBe('failed');
    expect(s.totalCost).toBe(0.5);
    expect(s.nodes.a).toEqual({
      status: 'completed',
      attempt: 1,
      startedAt: 't1',
      finishedAt: 't2',
      durationMs: 12,
      output: { x: 1 },
    });
    expect(s.nodes.b!.status).toBe('skipped');
    expect(s.nodes.c!.status).toBe('failed');
  });

  it('ignores messages at or below the last seq, so a resume that overlaps changes nothing', () => {
    const half = messages.slice(0, 4).reduce(applyMessage, initialRunState());
    const resumed = messages.slice(2).reduce(applyMessage, half);
    expect(resumed).toEqual(messages.reduce(applyMessage, initialRunState()));
    expect(applyMessage(half, messages[1]!)).toBe(half);
  });
});
