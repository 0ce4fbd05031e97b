import { loadIdentityConfig } from './identity.config';

describe('loadIdentityConfig', () => {
  it('defaults to a 7-day token, bcrypt cost 12, migrations on, and a flagged dev secret outside production', () => {
    const config = loadIdentityConfig({});
    expect(config.jwtTtlSeconds).toBe(7 * 24 * 3600);
    expect(config.bcryptCost).toBe(12);
    expect(config.runMigrations).toBe(true);
    expect(config.jwtSecretIsDevDefault).toBe(true);
    expect(config.jwtSecret.length).toBeGreaterThan(0);
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
    expect(config).toMatchObject({ jwtSecret: 'x'.repeat(40), jwtSecretIsDevDefault: false });
  });

  it('bounds BCRYPT_COST and honours MIGRATIONS=skip', () => {
    expect(loadIdentityConfig({ BCRYPT_COST: '4' }).bcryptCost).toBe(4);
    expect(() => loadIdentityConfig({ BCRYPT_COST: '3' })).toThrow(/BCRYPT_COST/);
    expect(() => loadIdentityConfig({ BCRYPT_COST: 'high' })).toThrow(/BCRYPT_COST/);
    expect(loadIdentityConfig({ MIGRATIONS: 'skip' }).runMigrations).toBe(false);
  });
});
