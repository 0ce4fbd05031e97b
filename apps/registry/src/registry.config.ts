import { intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';

/** Settings of the registry service, read once from the environment at start-up. */
export interface RegistryConfig extends BaseConfig {
  /** False when `MIGRATIONS=skip` (a deployment that migrates in a separate job). */
  runMigrations: boolean;
  /** Workflow versions kept in memory for `registry.workflow.version.get` (`VERSION_CACHE_SIZE`, default 1000; 0 = off). */
  versionCacheSize: number;
}

/** Reads the registry settings; throws naming the variable when `VERSION_CACHE_SIZE` is not a non-negative integer. */
export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return {
    ...loadBaseConfig('registry', env),
    runMigrations: env.MIGRATIONS !== 'skip',
    versionCacheSize: intFromEnv('VERSION_CACHE_SIZE', 1000, env),
  };
}
