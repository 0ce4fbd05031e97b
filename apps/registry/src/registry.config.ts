import { intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';
import type { Keyring } from '@flowstack/vault';
import { masterKeyringFromEnv } from './credentials/master-key.setting';

/** Settings of the registry service, read once from the environment at start-up. */
export interface RegistryConfig extends BaseConfig {
  /** False when `MIGRATIONS=skip` (a deployment that migrates in a separate job). */
  runMigrations: boolean;
  /** Workflow versions kept in memory for `registry.workflow.version.get` (`VERSION_CACHE_SIZE`, default 1000; 0 = off). */
  versionCacheSize: number;
  /** Seals credential values (`FLOWSTACK_MASTER_KEY`); absent outside production when unset (see `masterKeyringFromEnv`). */
  keyring?: Keyring;
  /** Credentials re-sealed per transaction by the rotation command (`CREDENTIAL_ROTATION_BATCH`, default 100). */
  credentialRotationBatch: number;
}

/**
 * Reads the registry settings; throws naming the variable when `VERSION_CACHE_SIZE` is not a
 * non-negative integer or the master key is missing (production) or malformed.
 */
export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return {
    ...loadBaseConfig('registry', env),
    runMigrations: env.MIGRATIONS !== 'skip',
    versionCacheSize: intFromEnv('VERSION_CACHE_SIZE', 1000, env),
    keyring: masterKeyringFromEnv(env),
    credentialRotationBatch: Math.max(1, intFromEnv('CREDENTIAL_ROTATION_BATCH', 100, env)),
  };
}
