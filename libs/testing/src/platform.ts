import { randomBytes } from 'node:crypto';
import { cleanupNamespace, randomNamespace } from './test-namespace';
import { createTestDatabase, type TestDatabase } from './test-database';
import { freePort, startService, type ServiceName, type ServiceProcess } from './service-process';

/** Every service of the platform, each its own process, on a database and namespace of its own. */
export interface TestPlatform {
  baseUrl: string;
  wsUrl: string;
  env: Record<string, string>;
  services: Map<ServiceName, ServiceProcess>;
  /**
   * Where each service serves `GET /metrics`: a free `METRICS_PORT` per process (a fresh one for
   * every `start`, so a replacement never collides with the process it replaces), the gateway's
   * own port for the gateway.
   */
  metricsPorts: Map<ServiceName, number>;
  /** `http://127.0.0.1:<port>/metrics` of a service's current process. */
  metricsUrl(name: ServiceName): string;
  /** Starts another process of a service (e.g. a replacement after a kill). */
  start(name: ServiceName, extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  /**
   * Starts one more gateway replica on a port of its own, on the same NATS namespace and database
   * (stopped with the platform). `services` keeps naming the first gateway.
   */
  startGateway(extraEnv?: Record<string, string>): Promise<GatewayReplica>;
  stop(): Promise<void>;
}

/** A gateway process besides the platform's own. */
export interface GatewayReplica {
  baseUrl: string;
  wsUrl: string;
  process: ServiceProcess;
}

export interface PlatformOptions {
  label: string;
  env?: Record<string, string>;
  /** Per-service extra environment. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /**
   * The gateway's port, when the test must know it before the platform starts (an OpenID
   * provider's redirect URI); a free one otherwise.
   */
  gatewayPort?: number;
  /** The Postgres server the platform's database is made on (a test's own cluster); the shared one otherwise. */
  adminDatabaseUrl?: string;
}

/**
 * Starts identity, registry, orchestrator, tool-runner, scheduler, billing and gateway as real processes, the way
 * `npm start` does, isolated by a fresh database and NATS namespace, and tears it all down.
 */
export async function startPlatform(options: PlatformOptions): Promise<TestPlatform> {
  const db: TestDatabase = await createTestDatabase(options.label, options.adminDatabaseUrl);
  const ns = randomNamespace(options.label);
  const port = options.gatewayPort ?? (await freePort());
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    FLOWSTACK_NS: ns.prefix,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    TOOL_HTTP_ALLOW_PRIVATE: 'true',
    // A fresh credential master key per platform (the registry seals with it).
    FLOWSTACK_MASTER_KEY: `v1:${randomBytes(32).toString('base64')}`,
    RELAY_INTERVAL_MS: '500',
    // Suites and the bench register and log in many users from 127.0.0.1: login/register limits
    // far above what they do. A test of the throttle itself passes small ones in `env`.
    AUTH_LOGIN_PER_IP_PER_MINUTE: '100000',
    AUTH_REGISTER_PER_IP_PER_HOUR: '100000',
    AUTH_LOGIN_FAILURES_PER_ACCOUNT: '1000',
    // No start limit per workspace (the bench starts hundreds a second from one workspace); the
    // test of the limit passes its own.
    GATEWAY_START_RATE_POINTS: '0',
    ...options.env,
  };
  const services = new Map<ServiceName, ServiceProcess>();
  const metricsPorts = new Map<ServiceName, number>([['gateway', port]]);
  const start = async (name: ServiceName, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> => {
    // A port `freePort` found free can be taken by another test process before this service binds
    // it (Jest runs files in parallel processes): a service that lost that race is started again
    // on another port, a bounded number of times.
    for (let attempt = 1; ; attempt++) {
      const ownMetrics: Record<string, string> = name === 'gateway' ? {} : { METRICS_PORT: String(await freePort()) };
      const serviceEnv = { ...env, ...ownMetrics, ...options.serviceEnv?.[name], ...extraEnv };
      try {
        const proc = await startService(name, serviceEnv);
        if (name !== 'gateway') metricsPorts.set(name, Number(serviceEnv.METRICS_PORT));
        services.set(name, proc);
        return proc;
      } catch (e) {
        const lostPortRace = e instanceof Error && /METRICS_PORT \d+ is already in use/.test(e.message);
        if (!lostPortRace || attempt >= 3) throw e;
      }
    }
  };
  const metricsUrl = (name: ServiceName): string => {
    const metricsPort = metricsPorts.get(name);
    if (!metricsPort) throw new Error(`${name} serves no metrics in this platform (METRICS_PORT is 0 or unset)`);
    return `http://127.0.0.1:${metricsPort}/metrics`;
  };
  const replicas: ServiceProcess[] = [];
  const startGateway = async (extraEnv: Record<string, string> = {}): Promise<GatewayReplica> => {
    const replicaPort = await freePort();
    const proc = await startService('gateway', {
      ...env,
      ...options.serviceEnv?.gateway,
      ...extraEnv,
      GATEWAY_PORT: String(replicaPort),
    });
    replicas.push(proc);
    return { baseUrl: `http://127.0.0.1:${replicaPort}`, wsUrl: `ws://127.0.0.1:${replicaPort}`, process: proc };
  };
  const stop = async (): Promise<void> => {
    await Promise.all([...services.values(), ...replicas].map((s) => s.stop()));
    await db.drop().catch(() => undefined);
    await cleanupNamespace(ns).catch(() => undefined);
  };
  // Services that own migrations first, so they do not race on a fresh database; then the rest.
  // Every start is settled before giving up, so a failure never leaves a sibling process behind.
  for (const wave of [
    ['identity', 'registry', 'orchestrator', 'scheduler'],
    ['tool-runner', 'billing', 'gateway'],
  ] as ServiceName[][]) {
    const failed = (await Promise.allSettled(wave.map((name) => start(name)))).find((r) => r.status === 'rejected');
    if (failed) {
      await stop();
      throw failed.reason;
    }
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    env,
    services,
    metricsPorts,
    metricsUrl,
    start,
    startGateway,
    stop,
  };
}
