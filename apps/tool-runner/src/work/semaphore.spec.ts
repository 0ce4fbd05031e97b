import { Semaphore } from './semaphore';

/** Settles pending promise callbacks, so a test can see whether a wait has resolved. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Semaphore', () => {
  it('takes every free slot at once', async () => {
    const slots = new Semaphore(4);
    expect(await slots.acquireAll()).toBe(4);
    expect(slots.inUse).toBe(4);
  });

  it('takes what is left when some slots are in use', async () => {
    const slots = new Semaphore(4);
    expect(slots.tryAcquire()).toBe(true);
    expect(await slots.acquireAll()).toBe(3);
    expect(slots.inUse).toBe(4);
  });

  it('waits while no slot is free, then takes all slots freed by then', async () => {
    const slots = new Semaphore(3);
    await slots.acquireAll();
    let got: number | undefined;
    void slots.acquireAll().then((n) => (got = n));
    await settle();
    expect(got).toBeUndefined();

    slots.release();
    slots.release();
    await settle();
    expect(got).toBe(2);
    expect(slots.inUse).toBe(3);
  });

  it('resolves 0 and takes nothing when aborted while waiting', async () => {
    const slots = new Semaphore(2);
    await slots.acquireAll();
    const stop = new AbortController();
    const waiting = slots.acquireAll(stop.signal);
    stop.abort();
    expect(await waiting).toBe(0);

    slots.release(2);
    expect(slots.inUse).toBe(0);
  });

  it('resolves 0 at once when already aborted, even with free slots', async () => {
    const slots = new Semaphore(2);
    expect(await slots.acquireAll(AbortSignal.abort())).toBe(0);
    expect(slots.inUse).toBe(0);
  });

  it('gives a slot to tryAcquire only when one is free', () => {
    const slots = new Semaphore(1);
    expect(slots.tryAcquire()).toBe(true);
    expect(slots.tryAcquire()).toBe(false);
    slots.release();
    expect(slots.tryAcquire()).toBe(true);
  });

  it('refuses to release more slots than were taken', async () => {
    const slots = new Semaphore(2);
    await slots.acquireAll();
    slots.release(0);
    expect(() => slots.release(3)).toThrow(/released 3 slots but only 2 were taken/);
    expect(slots.inUse).toBe(2);
  });

  it('reports idle once every slot is back, or false at the timeout', async () => {
    const slots = new Semaphore(2);
    await slots.acquireAll();
    expect(await slots.idle(50)).toBe(false);
    setTimeout(() => slots.release(2), 20);
    expect(await slots.idle(2_000)).toBe(true);
  });
});
