import { FlowstackError } from '@flowstack/contracts';
import { BcryptGate } from './bcrypt.gate';

describe('BcryptGate', () => {
  it('runs `concurrency` at once, queues `queue` more, refuses the rest with rate_limited, then frees the slots', async () => {
    const gate = new BcryptGate(2, 1);
    const releases: (() => void)[] = [];
    let running = 0;
    let peak = 0;
    const work = () =>
      gate.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => releases.push(r));
        running--;
        return 'done';
      });
    const admitted = [work(), work(), work()];
    await expect(work()).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 1 });
    await expect(work()).rejects.toBeInstanceOf(FlowstackError);
    while (releases.length < 2) await Promise.resolve();
    releases.splice(0).forEach((r) => r());
    while (releases.length < 1) await new Promise((r) => setImmediate(r));
    releases.splice(0).forEach((r) => r());
    await expect(Promise.all(admitted)).resolves.toEqual(['done', 'done', 'done']);
    expect(peak).toBe(2);
    await expect(gate.run(() => Promise.resolve('again'))).resolves.toBe('again');
  });

  it('frees the slot when the work fails', async () => {
    const gate = new BcryptGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
