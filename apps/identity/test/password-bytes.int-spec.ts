import { randomUUID } from 'node:crypto';
import { Rpc, type AuthResult } from '@flowstack/contracts';
import { startIdentity, type IdentityHarness } from './identity.harness';

// bcrypt reads 72 bytes of a password and ignores the rest, so a longer one is refused at
// registration and can never match at login (a different suffix must not log in).
let h: IdentityHarness;

beforeAll(async () => {
  h = await startIdentity();
});
afterAll(async () => {
  await h?.close();
});

const uniqueEmail = (label: string): string => `${label}-${randomUUID().slice(0, 8)}@example.com`;
const register = (email: string, password: string) => h.call<AuthResult>(Rpc.identity.register, { email, password });
const login = (email: string, password: string) => h.call<AuthResult>(Rpc.identity.login, { email, password });

describe('passwords and bcrypt’s 72 bytes', () => {
  it.each([
    ['73 ASCII characters', 'a'.repeat(73)],
    ['37 two-byte characters (74 bytes)', 'é'.repeat(37)],
    ['19 four-byte characters (76 bytes)', '🔑'.repeat(19)],
  ])('refuses %s at register with validation_failed on password', async (_label, password) => {
    const email = uniqueEmail('long');
    await expect(register(email, password)).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'password', message: expect.stringContaining('at most 72 bytes') })],
    });
    const { rows } = await h.sql.query('select 1 from identity.users where email = $1', [email]);
    expect(rows).toHaveLength(0);
  });

  it('accepts exactly 72 bytes, and a longer password sharing those 72 bytes does not log in', async () => {
    const email = uniqueEmail('edge');
    const password = 'é'.repeat(36); // 72 bytes
    await register(email, password);
    await expect(login(email, password)).resolves.toMatchObject({ user: { email } });
    for (const longer of [`${password}x`, `${password}another suffix entirely`]) {
      await expect(login(email, longer)).rejects.toMatchObject({ code: 'unauthenticated', message: 'invalid email or password' });
    }
  });
});
