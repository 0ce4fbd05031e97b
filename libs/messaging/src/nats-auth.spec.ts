import { nkeys } from '@nats-io/transport-node';
import { describeNatsAuth, natsAuthFromEnv } from './nats-auth';

const seed = (): string => new TextDecoder().decode(nkeys.createUser().getSeed());

describe('natsAuthFromEnv', () => {
  it('reads each way of authenticating', () => {
    expect(natsAuthFromEnv({})).toEqual({ kind: 'none' });
    expect(natsAuthFromEnv({ NATS_USER: 'registry', NATS_PASSWORD: 's3cret' })).toEqual({
      kind: 'user',
      user: 'registry',
      password: 's3cret',
    });
    expect(natsAuthFromEnv({ NATS_TOKEN: 't0ken' })).toEqual({ kind: 'token', token: 't0ken' });
    const s = seed();
    expect(natsAuthFromEnv({ NATS_NKEY_SEED: `${s}\n` })).toEqual({ kind: 'nkey', seed: s });
    expect(natsAuthFromEnv({ NATS_CREDS: '/run/secrets/registry.creds' })).toEqual({
      kind: 'creds',
      file: '/run/secrets/registry.creds',
    });
  });

  it.each([
    ['two ways at once', { NATS_USER: 'a', NATS_PASSWORD: 'b', NATS_TOKEN: 'c' }, /only one of/],
    ['a user without a password', { NATS_USER: 'a' }, /go together/],
    ['a password without a user', { NATS_PASSWORD: 'b' }, /go together/],
    ['a seed that is not one', { NATS_NKEY_SEED: 'SUnot-a-seed' }, /not an nkey seed/],
  ])('refuses %s as validation_failed, never echoing a secret', (_what, env, message) => {
    let error: unknown;
    try {
      natsAuthFromEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(message) });
    for (const secret of Object.values(env)) {
      if (secret.length > 1) expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('describeNatsAuth', () => {
  it('names the method and the public part only', () => {
    const pair = nkeys.createUser();
    const s = new TextDecoder().decode(pair.getSeed());
    expect(describeNatsAuth({ kind: 'user', user: 'registry', password: 'hunter2' })).toBe('user "registry"');
    expect(describeNatsAuth({ kind: 'token', token: 'hunter2' })).toBe('a token');
    expect(describeNatsAuth({ kind: 'nkey', seed: s })).toBe(`nkey ${pair.getPublicKey()}`);
    expect(describeNatsAuth({ kind: 'nkey', seed: s })).not.toContain(s);
  });
});
