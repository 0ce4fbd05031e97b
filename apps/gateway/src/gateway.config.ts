import { intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';

export interface GatewayConfig extends BaseConfig {
  port: number;
  host: string;
  /** Largest JSON body accepted, in bytes (workflow graphs are the big ones). */
  bodyLimitBytes: number;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    ...loadBaseConfig('gateway', env),
    port: intFromEnv('GATEWAY_PORT', 8080, env),
    host: env.GATEWAY_HOST ?? '0.0.0.0',
    bodyLimitBytes: intFromEnv('GATEWAY_BODY_LIMIT', 2_000_000, env),
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
