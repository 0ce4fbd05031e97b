import { loadIdentityConfig } from './identity.config';

describe('loadIdentityConfig', () => {
  it('defaults to a 7-day token, bcrypt cost 12 and migrations on', () => {
    const config = loadIdentityConfig({ JWT_SECRET: 'a-secret' });
    expect(config.jwtTtlSeconds).toBe(7 * 24 * 3600);
    expect(config.bcryptCost).toBe(12);
    expect(config.runMigrations).toBe(true);
    expect(config).toMatchObject({ jwtSecret: 'a-secret', jwtSecretSource: 'env' });
  });

  it.each([
    ['3600', 3600],
    ['90m', 5400],
    ['12h', 43_200],
    ['2 days', 172_800],
  ])('reads JWT_TTL=%s the way jsonwebtoken does: %d s', (raw, seconds) => {
    expect(loadIdentityConfig({ JWT_TTL: raw }).jwtTtlSeconds).toBe(seconds);
  });

  it.each(['soon', '-5m', '0'])('refuses JWT_TTL=%s', (raw) => {
    expect(() => loadIdentityConfig({ JWT_TTL: raw })).toThrow(/JWT_TTL/);
  });

  it('requires a long JWT_SECRET in production', () => {
    expect(() => loadIdentityConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadIdentityConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    const config = loadIdentityConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(config).toMatchObject({ jwtSecret: 'x'.repeat(40), jwtSecretSource: 'env' });
    // FLOWSTACK_DEV does not lift the production rule.
    expect(() => loadIdentityConfig({ NODE_ENV: 'production', FLOWSTACK_DEV: '1' })).toThrow(/JWT_SECRET/);
  });

  it.each([
    'nats://10.255.255.1:4222',
    'nats://nats.internal:4222',
    'nats://127.0.0.1:4222,nats://10.0.0.2:4222',
    '10.0.0.2:4222',
  ])('refuses to start without JWT_SECRET when NATS_URL=%s is not loopback-only', (natsUrl) => {
    expect(() => loadIdentityConfig({ NATS_URL: natsUrl })).toThrow(/JWT_SECRET is not set and NATS_URL .* is not on loopback/);
  });

  it.each([
    [{}],
    [{ NATS_URL: 'nats://127.0.0.1:4222' }],
    [{ NATS_URL: 'nats://localhost:4222' }],
    [{ NATS_URL: 'nats://[::1]:4222' }],
    [{ NATS_URL: '127.0.0.2:4222' }],
    [{ NATS_URL: 'nats://10.255.255.1:4222', FLOWSTACK_DEV: '1' }],
  ])('without JWT_SECRET in development (%j) uses a random per-process key, never a known one', (env) => {
    const first = loadIdentityConfig(env);
    const second = loadIdentityConfig(env);
    expect(first.jwtSecretSource).toBe('ephemeral');
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).not.toBe(first.jwtSecret);
    expect(first.jwtSecret).not.toBe('flowstack-dev-only-jwt-secret-do-not-use-in-production');
  });

  it('bounds BCRYPT_COST and honours MIGRATIONS=skip', () => {
    expect(loadIdentityConfig({ BCRYPT_COST: '4' }).bcryptCost).toBe(4);
    expect(() => loadIdentityConfig({ BCRYPT_COST: '3' })).toThrow(/BCRYPT_COST/);
    expect(() => loadIdentityConfig({ BCRYPT_COST: 'high' })).toThrow(/BCRYPT_COST/);
    expect(loadIdentityConfig({ MIGRATIONS: 'skip' }).runMigrations).toBe(false);
  });
});
