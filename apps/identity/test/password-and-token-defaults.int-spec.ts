import { randomUUID } from 'node:crypto';
import { decode } from 'jsonwebtoken';
import { Rpc, type AuthResult } from '@flowstack/contracts';
import { startIdentity, type IdentityHarness } from './identity.harness';

// This file runs the service with its production defaults (no BCRYPT_COST, no JWT_TTL), which is
// why it is separate from auth.int-spec.ts: cost 12 makes every hash take a few hundred ms.
let h: IdentityHarness;

beforeAll(async () => {
  h = await startIdentity({ BCRYPT_COST: undefined, JWT_TTL: undefined });
});
afterAll(async () => {
  await h?.close();
});

const email = `defaults-${randomUUID().slice(0, 8)}@example.com`;
let registered: AuthResult;

it('stores passwords as bcrypt hashes of cost 12', async () => {
  registered = await h.call<AuthResult>(Rpc.identity.register, { email, password: 'a long enough password' });
  const { rows } = await h.sql.query<{ password_hash: string }>('select password_hash from identity.users where id = $1', [
    registered.user.id,
  ]);
  expect(rows[0].password_hash).toMatch(/^\$2b\$12\$.{53}$/);
});

it('issues HS256 tokens with sub, iat, exp and a uuid jti, valid for 7 days', () => {
  const token = decode(registered.token, { complete: true });
  expect(token?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
  const claims = token?.payload as Record<string, unknown>;
  expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'jti', 'sub']);
  expect(claims.sub).toBe(registered.user.id);
  expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  expect(claims.exp).toBe((claims.iat as number) + 7 * 24 * 3600);
  expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(60);
});

it('spends the same bcrypt work on an unknown email as on a wrong password', async () => {
  // Median of a few tries each, so one slow scheduling hiccup does not decide the outcome.
  const timeLogin = async (loginEmail: string): Promise<number> => {
    const started = performance.now();
    await expect(h.call(Rpc.identity.login, { email: loginEmail, password: 'not the password' })).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'invalid email or password',
    });
    return performance.now() - started;
  };
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const wrongPassword: number[] = [];
  const unknownEmail: number[] = [];
  for (let i = 0; i < 3; i++) {
    wrongPassword.push(await timeLogin(email));
    unknownEmail.push(await timeLogin(`nobody-${randomUUID()}@example.com`));
  }
  // A cost-12 compare takes well over 50 ms; an early return for an unknown email takes ~1 ms.
  expect(median(wrongPassword)).toBeGreaterThan(50);
  expect(median(unknownEmail)).toBeGreaterThan(median(wrongPassword) * 0.5);
});
