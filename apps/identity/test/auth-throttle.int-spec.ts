import { randomUUID } from 'node:crypto';
import { FlowstackError, Rpc, type AuthResult } from '@flowstack/contracts';
import { waitFor } from '@flowstack/testing';
import { startIdentity, type IdentityHarness } from './identity.harness';

// Small limits, so the throttle itself is what these tests see. Counters live in Postgres.
const FAILURES = 3;
const LOGINS_PER_IP = 6;
const REGISTERS_PER_IP = 2;
const LOCKOUT_SECONDS = 2;

let h: IdentityHarness;

beforeAll(async () => {
  h = await startIdentity({
    AUTH_LOGIN_FAILURES_PER_ACCOUNT: String(FAILURES),
    AUTH_LOGIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
    AUTH_LOGIN_PER_IP_PER_MINUTE: String(LOGINS_PER_IP),
    AUTH_REGISTER_PER_IP_PER_HOUR: String(REGISTERS_PER_IP),
    AUTH_BCRYPT_QUEUE: '1000',
  });
});
afterAll(async () => {
  await h?.close();
});

const uniqueEmail = (label: string): string => `${label}-${randomUUID().slice(0, 8)}@example.com`;
/** A client address of its own for each test, as the gateway would send it. */
const uniqueIp = (): string =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const register = (email: string, password: string, clientIp = uniqueIp()) =>
  h.call<AuthResult>(Rpc.identity.register, { email, password, clientIp });
const login = (email: string, password: string, clientIp: string) =>
  h.call<AuthResult>(Rpc.identity.login, { email, password, clientIp });
/** The error code of a call (`ok` when it succeeds). */
const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof FlowstackError ? e.code : `unexpected: ${String(e)}`),
  );

describe('per account', () => {
  it(`locks an email after ${FAILURES} wrong passwords, refuses the right one too until the lock ends, then resets on success`, async () => {
    const email = uniqueEmail('locked');
    await register(email, 'the right password');
    for (let i = 0; i < FAILURES; i++) {
      // A fresh address each time: only the account's count is under test.
      await expect(login(email, `wrong ${i}`, uniqueIp())).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    const locked = login(email, 'wrong again', uniqueIp());
    await expect(locked).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/too many failed logins for this account: retry in \d+ s/),
      retryAfter: expect.any(Number),
    });
    await expect(login(email, 'the right password', uniqueIp())).rejects.toMatchObject({ code: 'rate_limited' });

    // The lock ends after AUTH_LOGIN_LOCKOUT_SECONDS; then the right password works again.
    await waitFor(() => login(email, 'the right password', uniqueIp()).then(() => true), 'the lock to end', 15_000, 250);
    // The success reset the count: as many wrong passwords as before are answered 401 again.
    for (let i = 0; i < FAILURES; i++) {
      await expect(login(email, `wrong ${i}`, uniqueIp())).rejects.toMatchObject({ code: 'unauthenticated' });
    }
  });

  it('counts parallel guesses too: of 10 at once, only the allowed number are tried', async () => {
    const email = uniqueEmail('parallel');
    await register(email, 'the right password');
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => outcome(login(email, `guess ${i}`, uniqueIp()))));
    expect(outcomes.filter((o) => o === 'unauthenticated')).toHaveLength(FAILURES);
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(10 - FAILURES);
  });

  it('locks an unknown email the same way, so a lock says nothing about who has an account', async () => {
    const email = uniqueEmail('nobody');
    for (let i = 0; i < FAILURES; i++) {
      await expect(login(email, 'whatever', uniqueIp())).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    await expect(login(email, 'whatever', uniqueIp())).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('keeps the counts in Postgres, keyed by a hash and not by the email', async () => {
    const email = uniqueEmail('stored');
    await expect(login(email, 'whatever', uniqueIp())).rejects.toMatchObject({ code: 'unauthenticated' });
    const { rows } = await h.sql.query<{ key: string }>('select key from identity.auth_rate_limits');
    expect(rows.some((r) => /^login-account:[0-9a-f]{64}$/.test(r.key))).toBe(true);
    expect(rows.some((r) => r.key.includes(email))).toBe(false);
  });

  it('shares the counts between replicas', async () => {
    // Same database and limits as the first (the harness's environment).
    await h.startReplica();
    const email = uniqueEmail('replicas');
    // Spread over both replicas by the queue group: with counts per process, more would get through.
    const outcomes: string[] = [];
    for (let i = 0; i < 3 * FAILURES; i++) outcomes.push(await outcome(login(email, 'wrong', uniqueIp())));
    expect(outcomes.filter((o) => o === 'unauthenticated')).toHaveLength(FAILURES);
  });
});

describe('per address', () => {
  it(`answers rate_limited after ${LOGINS_PER_IP} logins a minute from one address, whatever the emails`, async () => {
    const ip = uniqueIp();
    for (let i = 0; i < LOGINS_PER_IP; i++) {
      await expect(login(uniqueEmail('spray'), 'password', ip)).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    await expect(login(uniqueEmail('spray'), 'password', ip)).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/too many login attempts from this address/),
      retryAfter: expect.any(Number),
    });
    await expect(login(uniqueEmail('spray'), 'password', uniqueIp())).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('counts an IPv6 /64 as one address, and IPv4-mapped IPv6 as the IPv4 address', async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 0; i < LOGINS_PER_IP; i++) {
      await expect(login(uniqueEmail('v6'), 'password', `${prefix}::${i + 1}`)).rejects.toMatchObject({
        code: 'unauthenticated',
      });
    }
    await expect(login(uniqueEmail('v6'), 'password', `${prefix}::ffff`)).rejects.toMatchObject({ code: 'rate_limited' });

    const ip = uniqueIp();
    for (let i = 0; i < LOGINS_PER_IP; i++) {
      await expect(login(uniqueEmail('mapped'), 'password', i % 2 ? ip : `::ffff:${ip}`)).rejects.toMatchObject({
        code: 'unauthenticated',
      });
    }
    await expect(login(uniqueEmail('mapped'), 'password', ip)).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it(`answers rate_limited after ${REGISTERS_PER_IP} registrations an hour from one address`, async () => {
    const ip = uniqueIp();
    for (let i = 0; i < REGISTERS_PER_IP; i++) await register(uniqueEmail('signup'), 'password123', ip);
    await expect(register(uniqueEmail('signup'), 'password123', ip)).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/too many registrations from this address/),
    });
    await expect(register(uniqueEmail('signup'), 'password123')).resolves.toMatchObject({ user: expect.any(Object) });
  });

  it('puts callers that send no address into one shared bucket (closed, not open)', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i <= LOGINS_PER_IP; i++) {
      outcomes.push(await outcome(h.call(Rpc.identity.login, { email: uniqueEmail('anon'), password: 'password' })));
    }
    expect(outcomes.at(-1)).toBe('rate_limited');
  });
});

describe('bcrypt concurrency', () => {
  let gated: IdentityHarness;
  beforeAll(async () => {
    // One hash at a time with one waiting, at a cost that takes a while: the gate decides.
    gated = await startIdentity({ BCRYPT_COST: '10', AUTH_BCRYPT_CONCURRENCY: '1', AUTH_BCRYPT_QUEUE: '1' });
  });
  afterAll(async () => {
    await gated?.close();
  });

  it('answers rate_limited at once beyond the slots instead of queueing every login behind bcrypt', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () =>
        outcome(gated.call(Rpc.identity.login, { email: uniqueEmail('flood'), password: 'password', clientIp: uniqueIp() })),
      ),
    );
    expect(outcomes.every((o) => o === 'unauthenticated' || o === 'rate_limited')).toBe(true);
    expect(outcomes.filter((o) => o === 'rate_limited').length).toBeGreaterThan(0);
    await expect(
      gated.call(Rpc.identity.login, { email: uniqueEmail('flood'), password: 'x' }).catch((e: FlowstackError) => e.code),
    ).resolves.toBe('unauthenticated');
  });
});
