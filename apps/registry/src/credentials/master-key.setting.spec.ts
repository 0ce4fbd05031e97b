import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { keyringFromEnv } from '@flowstack/vault';
import { loadRegistryConfig } from '../registry.config';

const key = (v = 1) => `v${v}:${randomBytes(32).toString('base64')}`;

describe('the master key setting', () => {
  it('reads FLOWSTACK_MASTER_KEY and FLOWSTACK_MASTER_KEYS_PREVIOUS into a keyring', () => {
    const config = loadRegistryConfig({ FLOWSTACK_MASTER_KEY: key(2), FLOWSTACK_MASTER_KEYS_PREVIOUS: key(1) });
    expect(config.keyring?.currentVersion).toBe(2);
    expect([...(config.keyring?.keys.keys() ?? [])].sort()).toEqual([1, 2]);
  });

  it('refuses to start in production without a key, naming the variable', () => {
    expect(() => loadRegistryConfig({ NODE_ENV: 'production' })).toThrow(
      /FLOWSTACK_MASTER_KEY is not set.*required when NODE_ENV=production/,
    );
  });

  it.each(['v1:short', 'not-a-key', `1:${randomBytes(32).toString('base64')}`])(
    'refuses a malformed key (%s) in any environment, without echoing it',
    (bad) => {
      let message = '';
      try {
        loadRegistryConfig({ FLOWSTACK_MASTER_KEY: bad });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/FLOWSTACK_MASTER_KEY/);
      expect(message).not.toContain(bad);
    },
  );

  it('starts without a key outside production (credential writes then answer unavailable)', () => {
    expect(loadRegistryConfig({}).keyring).toBeUndefined();
  });

  it('gives npm start a per-install random key the vault accepts, kept in .flowstack/dev-master-key with mode 0600', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { devMasterKey } = require(path.join(__dirname, '../../../../tools/dev-master-key.cjs')) as {
      devMasterKey(root: string): string;
    };
    const install = mkdtempSync(path.join(tmpdir(), 'fs-install-'));
    const other = mkdtempSync(path.join(tmpdir(), 'fs-install-'));
    const made = devMasterKey(install);
    expect(devMasterKey(install)).toBe(made);
    expect(devMasterKey(other)).not.toBe(made);
    expect(keyringFromEnv({ FLOWSTACK_MASTER_KEY: made }).currentVersion).toBe(1);
    const file = path.join(install, '.flowstack', 'dev-master-key');
    expect(readFileSync(file, 'utf8').trim()).toBe(made);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
