import { HttpTarget } from '@flowstack/testing';
import { NotificationSender } from './notification.sender';

/** The http tools' outbound guard applies to notifications: private addresses are refused unless allowed. */
describe('NotificationSender', () => {
  const target = new HttpTarget().route('POST', '/hook', () => ({ status: 204 }));
  const guarded = new NotificationSender(false);
  const open = new NotificationSender(true);

  beforeAll(async () => {
    await target.start();
  });
  afterAll(async () => {
    await Promise.all([guarded.close(), open.close(), target.stop()]);
  });

  it('refuses loopback, private and link-local addresses, literal or resolved, without calling them', async () => {
    for (const url of [
      `${target.url}/hook`,
      `http://localhost:${target.port}/hook`,
      `http://[::ffff:127.0.0.1]:${target.port}/hook`,
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.1/hook',
    ]) {
      const result = await guarded.send(url, { a: 1 }, 'd1');
      expect({ url, status: result.status, error: result.error }).toEqual({
        url,
        status: null,
        error: expect.stringContaining('address_not_allowed'),
      });
    }
    expect(target.calls('/hook')).toBe(0);
  });

  it('posts JSON with the delivery id when private addresses are allowed', async () => {
    expect(await open.send(`${target.url}/hook`, { a: 1 }, 'd2')).toEqual({ status: 204, error: null });
    const [req] = target.received;
    expect(JSON.parse(req.body)).toEqual({ a: 1 });
    expect(req.headers['x-flowstack-delivery']).toBe('d2');
    expect(req.headers['content-type']).toBe('application/json');
  });
});
