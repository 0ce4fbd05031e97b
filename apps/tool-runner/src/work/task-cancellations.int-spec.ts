import { connect, type NatsConnection } from '@nats-io/transport-node';
import { cancelSubject, type CancelSignal } from '@flowstack/contracts';
import { encodeJson } from '@flowstack/messaging';
import { TEST_NATS_URL, randomNamespace, waitFor } from '@flowstack/testing';
import { TaskCancellations } from './task-cancellations';

/** The tool-runner's cancel listener on the machine's NATS: a signal aborts that execution's tasks only. */
describe('TaskCancellations (NATS)', () => {
  const ns = randomNamespace('cancel');
  let nc: NatsConnection;
  let cancellations: TaskCancellations;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    cancellations = new TaskCancellations(nc, ns);
    await cancellations.onModuleInit();
  });

  afterAll(async () => {
    cancellations.onApplicationShutdown();
    await nc.close();
  });

  const signal = (executionId: string): Uint8Array =>
    encodeJson({ executionId, workspaceId: 'ws', reason: null } satisfies CancelSignal);

  it('aborts the running tasks of the cancelled execution, not the others, and remembers it', async () => {
    const a1 = cancellations.track('exec-a');
    const a2 = cancellations.track('exec-a');
    const b = cancellations.track('exec-b');
    expect(cancellations.isCancelled('exec-a')).toBe(false);
    nc.publish(cancelSubject(ns, 'exec-a'), signal('exec-a'));
    await waitFor(() => a1.signal.aborted && a2.signal.aborted, 'both tasks of exec-a to abort');
    expect(b.signal.aborted).toBe(false);
    expect(cancellations.isCancelled('exec-a')).toBe(true);
    expect(cancellations.isCancelled('exec-b')).toBe(false);
    expect(cancellations.aborted).toBe(2);
    // A task released before the signal is not aborted by a later one.
    b.release();
    nc.publish(cancelSubject(ns, 'exec-b'), signal('exec-b'));
    await waitFor(() => cancellations.isCancelled('exec-b'), 'exec-b to be remembered as cancelled');
    expect(b.signal.aborted).toBe(false);
  });

  it('reads the execution from the subject when the body is unreadable', async () => {
    const task = cancellations.track('exec-c');
    nc.publish(cancelSubject(ns, 'exec-c'), new TextEncoder().encode('not json'));
    await waitFor(() => task.signal.aborted, 'exec-c to abort');
  });
});
