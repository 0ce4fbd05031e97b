import { loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';

/** Settings of the registry service, read once from the environment at start-up. */
export interface RegistryConfig extends BaseConfig {
  /** False when `MIGRATIONS=skip` (a deployment that migrates in a separate job). */
  runMigrations: boolean;
}

export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return { ...loadBaseConfig('registry', env), runMigrations: env.MIGRATIONS !== 'skip' };
}
