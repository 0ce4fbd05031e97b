import { randomBytes } from 'node:crypto';
import { keyringFromEnv, KeyringConfigError } from './keyring';
import { CredentialUnsealError, needsReseal, open, reseal, seal, sealedKeyVersion } from './sealed-value';

const key = () => randomBytes(32).toString('base64');
const K1 = key();
const K2 = key();
const ring1 = keyringFromEnv({ FLOWSTACK_MASTER_KEY: `v1:${K1}` });
const ring2 = keyringFromEnv({ FLOWSTACK_MASTER_KEY: `v2:${K2}`, FLOWSTACK_MASTER_KEYS_PREVIOUS: `v1:${K1}` });
const alice = { workspaceId: 'ws-a', credentialId: 'cred-1' };

function unsealError(fn: () => unknown): CredentialUnsealError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CredentialUnsealError) return e;
    throw e;
  }
  throw new Error('expected a CredentialUnsealError');
}

describe('seal and open', () => {
  it('round-trips any UTF-8 value, with a fresh nonce each time', () => {
    const value = 'sk-ant-테스트-🔑';
    const a = seal(ring1, alice, value);
    const b = seal(ring1, alice, value);
    expect(a).not.toBe(b);
    expect(a).not.toContain(value);
    expect(open(ring1, alice, a)).toBe(value);
    expect(open(ring1, alice, b)).toBe(value);
    expect(open(ring1, alice, seal(ring1, alice, ''))).toBe('');
  });

  it('does not open for another credential or another workspace (associated data)', () => {
    const sealed = seal(ring1, alice, 'secret');
    expect(unsealError(() => open(ring1, { ...alice, credentialId: 'cred-2' }, sealed)).code).toBe('credential_undecryptable');
    expect(() => open(ring1, { ...alice, workspaceId: 'ws-b' }, sealed)).toThrow(CredentialUnsealError);
    // The length prefix keeps `ws:a` + `b` and `ws` + `a:b` apart.
    const tricky = seal(ring1, { workspaceId: 'w:1', credentialId: 'c' }, 'x');
    expect(() => open(ring1, { workspaceId: 'w', credentialId: '1:c' }, tricky)).toThrow(CredentialUnsealError);
  });

  it('refuses a value with any byte altered, without naming the value', () => {
    const sealed = seal(ring1, alice, 'secret-value');
    const [fmt, version, nonce, body] = sealed.split('.');
    const bytes = Buffer.from(body, 'base64url');
    for (const i of [0, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[i] ^= 1;
      const error = unsealError(() => open(ring1, alice, [fmt, version, nonce, altered.toString('base64url')].join('.')));
      expect(error.message).not.toContain('secret-value');
    }
  });

  it.each([
    '',
    'plain',
    'fsv1.1.abc',
    'fsv2.1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA',
    'fsv1.x.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA',
  ])('refuses %p as not a sealed value', (value) => {
    expect(unsealError(() => open(ring1, alice, value)).message).toMatch(/not a sealed credential value/);
  });

  it('rotation: the new keyring opens old values, re-seals them under the new version, and the old keyring cannot open those', () => {
    const old = seal(ring1, alice, 'rotate-me');
    expect([sealedKeyVersion(old), needsReseal(ring2, old), needsReseal(ring1, old)]).toEqual([1, true, false]);
    expect(open(ring2, alice, old)).toBe('rotate-me');
    const fresh = reseal(ring2, alice, old);
    expect([sealedKeyVersion(fresh), needsReseal(ring2, fresh)]).toEqual([2, false]);
    expect(open(ring2, alice, fresh)).toBe('rotate-me');
    expect(unsealError(() => open(ring1, alice, fresh)).message).toMatch(/key v2/);
  });
});

describe('keyringFromEnv', () => {
  it.each([
    [{}, /FLOWSTACK_MASTER_KEY is not set/],
    [{ FLOWSTACK_MASTER_KEY: K1 }, /FLOWSTACK_MASTER_KEY is malformed/],
    [{ FLOWSTACK_MASTER_KEY: 'v1:c2hvcnQ=' }, /decodes to 5 bytes, not 32/],
    [{ FLOWSTACK_MASTER_KEY: `v0:${K1}` }, /malformed/],
    [{ FLOWSTACK_MASTER_KEY: `v1:${K1}`, FLOWSTACK_MASTER_KEYS_PREVIOUS: `v1:${K2}` }, /v1 is given twice/],
    [
      { FLOWSTACK_MASTER_KEY: `v2:${K1}`, FLOWSTACK_MASTER_KEYS_PREVIOUS: 'v1:nope' },
      /FLOWSTACK_MASTER_KEYS_PREVIOUS\[0\] decodes to 3 bytes/,
    ],
    [
      { FLOWSTACK_MASTER_KEY: `v2:${K1}`, FLOWSTACK_MASTER_KEYS_PREVIOUS: 'v1:a b' },
      /FLOWSTACK_MASTER_KEYS_PREVIOUS\[0\] is malformed/,
    ],
  ])('refuses %p with one clear line', (env, message) => {
    let error: unknown;
    try {
      keyringFromEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyringConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(K1);
    expect((error as Error).message).not.toContain('\n');
  });

  it('accepts base64 and base64url keys and several previous ones', () => {
    const ring = keyringFromEnv({
      FLOWSTACK_MASTER_KEY: `v3:${randomBytes(32).toString('base64url')}`,
      FLOWSTACK_MASTER_KEYS_PREVIOUS: ` v2:${K2} , v1:${K1}`,
    });
    expect([ring.currentVersion, [...ring.keys.keys()]]).toEqual([3, [3, 2, 1]]);
  });
});
