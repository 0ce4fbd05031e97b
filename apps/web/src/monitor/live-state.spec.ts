import { applyMessage, costSoFar, initialRunState, MAX_LOG_LINES, waitingGates, type LiveMessage } from './live-state';

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

describe('gates, retries, cancel and the ephemeral messages', () => {
  const start: LiveMessage[] = [
    { type: 'execution_start', seq: 1 },
    { type: 'step_start', seq: 2, nodeId: 'gate', attempt: 1 },
  ];

  it('shows a waiting gate with its prompt until it is decided, then the run goes on', () => {
    const waiting = [
      ...start,
      { type: 'approval_requested', seq: 3, nodeId: 'gate', prompt: 'Ship it?', approverRole: 'editor' },
    ].reduce(applyMessage, initialRunState());
    expect(waiting.status).toBe('awaiting_approval');
    expect(waitingGates(waiting)).toEqual([['gate', { prompt: 'Ship it?', approverRole: 'editor' }]]);
    const decided = applyMessage(waiting, {
      type: 'approval_decided',
      seq: 4,
      nodeId: 'gate',
      decision: 'approved',
      by: 'u1',
      comment: 'go',
    });
    expect(decided.status).toBe('running');
    expect(waitingGates(decided)).toEqual([]);
    expect(decided.nodes.gate!.decision).toMatchObject({ decision: 'approved', by: 'u1', comment: 'go' });
  });

  it('marks a failed attempt that will run again as retry_scheduled with its next attempt', () => {
    const s = [
      ...start,
      {
        type: 'step_failed',
        seq: 3,
        nodeId: 'gate',
        attempt: 1,
        willRetry: true,
        nextAttempt: { attempt: 2, dueAt: 'soon' },
        error: { code: 'http_status' },
      },
    ].reduce(applyMessage, initialRunState());
    expect(s.nodes.gate).toMatchObject({ status: 'retry_scheduled', nextAttempt: { attempt: 2, dueAt: 'soon' } });
    const again = applyMessage(s, { type: 'step_start', seq: 4, nodeId: 'gate', attempt: 2 });
    expect(again.nodes.gate).toMatchObject({ status: 'running', attempt: 2 });
    expect(again.nodes.gate!.nextAttempt).toBeUndefined();
  });

  it('cancels every node still open and keeps who cancelled and why', () => {
    const s = [
      ...start,
      { type: 'step_complete', seq: 3, nodeId: 'done', durationMs: 1 },
      { type: 'execution_complete', seq: 4, status: 'cancelled', by: 'u1', reason: 'wrong input', totalCost: 0 },
    ].reduce(applyMessage, initialRunState());
    expect(s.status).toBe('cancelled');
    expect(s.nodes.gate!.status).toBe('cancelled');
    expect(s.nodes.done!.status).toBe('completed');
    expect(s.cancellation).toEqual({ by: 'u1', reason: 'wrong input' });
  });

  it('appends streamed agent text and log lines without a seq, bounded, and sums node costs', () => {
    let s = start.reduce(applyMessage, initialRunState());
    s = applyMessage(s, { type: 'agent_streaming', nodeId: 'ask', chunk: 'It is ' });
    s = applyMessage(s, { type: 'agent_streaming', nodeId: 'ask', chunk: 'sunny' });
    expect(s.nodes.ask!.streamed).toBe('It is sunny');
    expect(s.seq).toBe(2);
    for (let i = 0; i < MAX_LOG_LINES + 5; i++)
      s = applyMessage(s, { type: 'log', nodeId: 'py', stream: 'stdout', line: `l${i}` });
    expect(s.nodes.py!.logs).toHaveLength(MAX_LOG_LINES);
    expect(s.nodes.py!.logs!.at(-1)).toEqual({ stream: 'stdout', line: `l${MAX_LOG_LINES + 4}` });
    s = applyMessage(s, { type: 'step_complete', seq: 3, nodeId: 'ask', cost: 330, usage: { inputTokens: 1 } });
    s = applyMessage(s, { type: 'step_complete', seq: 4, nodeId: 'py', cost: 5 });
    expect(costSoFar(s)).toBe(335);
    expect(s.nodes.ask!.streamed).toBe('It is sunny');
  });

  it('runs again after execution_retried: failed and reset nodes pending, succeeded ones kept, the end cleared', () => {
    const failed = messages.reduce(applyMessage, initialRunState());
    const s = applyMessage(failed, { type: 'execution_retried', seq: 8, cycle: 1, nodes: ['c'], resetNodes: ['d'] });
    expect(s.status).toBe('running');
    expect(s.retries).toBe(1);
    expect(s.error).toBeUndefined();
    expect(s.totalCost).toBeUndefined();
    expect(s.nodes.a!.status).toBe('completed');
    expect(s.nodes.c).toMatchObject({ status: 'pending', attempt: 1 });
    expect(s.nodes.c!.error).toBeUndefined();
    const again = [
      { type: 'step_start', seq: 9, nodeId: 'c', attempt: 2 },
      { type: 'step_complete', seq: 10, nodeId: 'c', durationMs: 3, output: 1 },
      { type: 'execution_complete', seq: 11, status: 'completed', output: 1, totalCost: 0.7, durationMs: 90 },
    ].reduce(applyMessage, s);
    expect(again.status).toBe('completed');
    expect(again.nodes.c).toMatchObject({ status: 'completed', attempt: 2 });
    expect(again.totalCost).toBe(0.7);
  });
});

describe('a run waiting in its workspace queue', () => {
  it('shows its place until it starts, then folds its events as usual', () => {
    const queued = [
      { type: 'execution_queued', position: 3, queuedAt: 'q' },
      { type: 'execution_queued', position: 1, queuedAt: 'q' },
    ].reduce(applyMessage, initialRunState());
    expect(queued).toMatchObject({ seq: 0, status: 'pending', queue: { position: 1 } });
    const started = messages.reduce(applyMessage, queued);
    expect(started.queue).toBeUndefined();
    expect(started).toEqual(messages.reduce(applyMessage, initialRunState()));
  });

  it('ends cancelled when it is cancelled in the queue (a seq-less execution_complete)', () => {
    const s = [
      { type: 'execution_queued', position: 2 },
      { type: 'execution_complete', status: 'cancelled', by: 'u1', reason: null as unknown as string },
    ].reduce(applyMessage, initialRunState());
    expect(s).toMatchObject({ status: 'cancelled', totalCost: 0, cancellation: { by: 'u1' } });
    expect(s.queue).toBeUndefined();
    // After the run has started, a message without seq is no end: it changes nothing.
    const running = applyMessage(initialRunState(), { type: 'execution_start', seq: 1 });
    expect(applyMessage(running, { type: 'execution_complete', status: 'cancelled' })).toBe(running);
  });
});
