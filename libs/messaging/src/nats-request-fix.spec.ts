import { RequestError, RequestOne, type MuxSubscription } from '@nats-io/nats-core/internal';
import { natsRequestFixInstalled } from './nats-request-fix';

/** A request as nats.js builds one for `nc.request`, on a mux that only records cancels. */
function request() {
  const cancelled: unknown[] = [];
  const mux = { cancel: (r: unknown) => cancelled.push(r) } as unknown as MuxSubscription;
  const r = new RequestOne(mux, 'svc.call', { timeout: 60_000 }, false);
  const rejects = jest.spyOn(r.deferred, 'reject');
  return { r, cancelled, rejects };
}

describe('the nats.js request fix', () => {
  it('is installed on this nats.js', () => {
    expect(natsRequestFixInstalled).toBe(true);
  });

  it('an answered request resolves and is taken off the mux without building a "cancelled" error', async () => {
    const { r, cancelled, rejects } = request();
    const msg = { data: new Uint8Array([1]) } as never;
    r.resolver(null, msg);
    await expect(r.deferred).resolves.toBe(msg);
    expect(cancelled).toEqual([r]);
    expect(rejects).not.toHaveBeenCalled();
  });

  it('a failed request rejects with its error, once', async () => {
    const { r, cancelled, rejects } = request();
    r.resolver(new Error('no responders'), {} as never);
    await expect(r.deferred).rejects.toThrow('no responders');
    expect(rejects).toHaveBeenCalledTimes(1);
    expect(cancelled).toEqual([r]);
  });

  it('a request cancelled while it waits still rejects with RequestError("cancelled")', async () => {
    const { r, cancelled } = request();
    r.cancel();
    const error = await (r.deferred as Promise<unknown>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as Error).message).toBe('cancelled');
    expect(cancelled).toEqual([r]);
  });

  it('a cancel with a reason rejects with that reason', async () => {
    const { r } = request();
    r.cancel(new Error('closing'));
    await expect(r.deferred).rejects.toThrow('closing');
  });
});
