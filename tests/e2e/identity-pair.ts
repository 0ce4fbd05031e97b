import {
  cleanupNamespace,
  createTestDatabase,
  randomNamespace,
  startService,
  type ServiceProcess,
  type TestDatabase,
} from '@flowstack/testing';

/** Identity and one gateway (all OIDC needs), on a database and namespace of their own. */
export interface IdentityPair {
  baseUrl: string;
  env: Record<string, string>;
  identity: ServiceProcess;
  gateway: ServiceProcess;
  stop(): Promise<void>;
}

export async function startIdentityPair(label: string, port: number, extraEnv: Record<string, string>): Promise<IdentityPair> {
  const db: TestDatabase = await createTestDatabase(label);
  const ns = randomNamespace(label);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    FLOWSTACK_NS: ns.prefix,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    BCRYPT_COST: '4',
    METRICS_PORT: '0',
    AUTH_LOGIN_PER_IP_PER_MINUTE: '100000',
    AUTH_REGISTER_PER_IP_PER_HOUR: '100000',
    ...extraEnv,
  };
  const identity = await startService('identity', env);
  const gateway = await startService('gateway', env);
  const pair: IdentityPair = {
    baseUrl: `http://127.0.0.1:${port}`,
    env,
    identity,
    gateway,
    async stop() {
      await Promise.all([pair.identity.stop(), pair.gateway.stop()]);
      await db.drop().catch(() => undefined);
      await cleanupNamespace(ns).catch(() => undefined);
    },
  };
  return pair;
}
