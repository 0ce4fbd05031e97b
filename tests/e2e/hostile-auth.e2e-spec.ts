import { randomUUID } from 'node:crypto';
import { startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';

jest.setTimeout(180_000);

// Small limits so the throttle is what these tests meet. The gateway believes X-Forwarded-For
// from loopback (GATEWAY_TRUST_PROXY), which gives each scenario client addresses of its own.
const FAILURES = 3;
const LOGINS_PER_IP = 8;
const REGISTERS_PER_IP = 3;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
}

/**
 * Login and register as a hostile user would try them, through the gateway: guessing one
 * account's password, spraying from one address, 40 logins at once, and bcrypt's 72 bytes.
 */
describe('hostile auth', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'hostile-auth',
      env: {
        AUTH_LOGIN_FAILURES_PER_ACCOUNT: String(FAILURES),
        AUTH_LOGIN_LOCKOUT_SECONDS: '3',
        AUTH_LOGIN_PER_IP_PER_MINUTE: String(LOGINS_PER_IP),
        AUTH_REGISTER_PER_IP_PER_HOUR: String(REGISTERS_PER_IP),
        GATEWAY_TRUST_PROXY: 'loopback',
        // Two hashes at a time and four waiting, whatever the machine's core count.
        AUTH_BCRYPT_CONCURRENCY: '2',
        AUTH_BCRYPT_QUEUE: '4',
      },
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const uniqueEmail = (label: string): string => `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const octet = (): number => Math.floor(Math.random() * 250) + 1;
  const uniqueIp = (): string => `10.${octet()}.${octet()}.${octet()}`;

  const post = async (path: string, body: unknown, ip: string): Promise<Answer> => {
    const res = await fetch(`${platform.baseUrl}/api/v1/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
  };
  const login = (email: string, password: string, ip = uniqueIp()) => post('login', { email, password }, ip);
  const register = (email: string, password: string, ip = uniqueIp()) => post('register', { email, password }, ip);

  const expectAlive = async (): Promise<void> => {
    for (const name of ['gateway', 'identity'] as const) expect(platform.services.get(name)!.child.exitCode).toBeNull();
    const email = uniqueEmail('alive');
    expect((await register(email, 'still serving')).status).toBe(201);
    expect((await login(email, 'still serving')).status).toBe(200);
  };

  it(`answers 429 with Retry-After after ${FAILURES} wrong passwords for one account, refusing the right one too until the lock ends`, async () => {
    const email = uniqueEmail('victim');
    expect((await register(email, 'the right password')).status).toBe(201);
    for (let i = 0; i < FAILURES; i++) expect((await login(email, `guess ${i}`)).status).toBe(401);

    const locked = await login(email, 'one more guess');
    expect(locked).toMatchObject({ status: 429, body: { code: 'rate_limited', status: 429 } });
    expect(Number(locked.retryAfter)).toBeGreaterThanOrEqual(1);
    const right = await login(email, 'the right password');
    expect(right.status).toBe(429);
    expect(Number(right.retryAfter)).toBeGreaterThanOrEqual(1);

    // After the lock (AUTH_LOGIN_LOCKOUT_SECONDS) the right password works again.
    await waitFor(async () => (await login(email, 'the right password')).status === 200, 'the lock to end', 30_000, 500);
  });

  it(`answers 429 after ${LOGINS_PER_IP} logins a minute from one address, and ${REGISTERS_PER_IP} registrations an hour`, async () => {
    const ip = uniqueIp();
    for (let i = 0; i < LOGINS_PER_IP; i++) expect((await login(uniqueEmail('spray'), 'password123', ip)).status).toBe(401);
    const limited = await login(uniqueEmail('spray'), 'password123', ip);
    expect(limited).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await login(uniqueEmail('spray'), 'password123', uniqueIp())).status).toBe(401);

    const signupIp = uniqueIp();
    for (let i = 0; i < REGISTERS_PER_IP; i++)
      expect((await register(uniqueEmail('bulk'), 'password123', signupIp)).status).toBe(201);
    const tooMany = await register(uniqueEmail('bulk'), 'password123', signupIp);
    expect(tooMany).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect(Number(tooMany.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('answers 40 concurrent logins with 401 or 429, never 503, and identity keeps serving', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => login(uniqueEmail('flood'), 'password123')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    // bcrypt (cost 12 here) runs a few at a time; the rest are told to come back, at once.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 429).every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    await expectAlive();
  });

  it('refuses a password over 72 bytes at register with 400 on password, and a longer one never logs in', async () => {
    const tooLong = await register(uniqueEmail('long'), 'a'.repeat(73));
    expect(tooLong).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', errors: [expect.objectContaining({ path: 'password' })] },
    });
    expect((await register(uniqueEmail('long'), 'é'.repeat(37))).status).toBe(400);

    const email = uniqueEmail('edge');
    const password = 'p'.repeat(72);
    expect((await register(email, password)).status).toBe(201);
    expect((await login(email, `${password}-a different suffix`)).status).toBe(401);
    expect((await login(email, password)).status).toBe(200);
  });
});
