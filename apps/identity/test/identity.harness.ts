import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import type { Namespace, RequestContext, Role } from '@flowstack/contracts';
import { connectNats, RpcClient, startRpcMicroservice } from '@flowstack/messaging';
import { cleanupNamespace, createTestDatabase, randomNamespace, TEST_NATS_URL, type TestDatabase } from '@flowstack/testing';
import { createAppModule } from '../src/app.module';
import { loadIdentityConfig, type IdentityConfig } from '../src/identity.config';

export const TEST_JWT_SECRET = 'identity-int-spec-secret-0123456789abcdef';

/** One identity service in this process, on its own database and NATS namespace, and a client. */
export interface IdentityHarness {
  config: IdentityConfig;
  db: TestDatabase;
  ns: Namespace;
  nc: NatsConnection;
  /** A plain pool on the test database, for assertions on stored rows. */
  sql: Pool;
  call<T>(subject: string, payload: unknown, ctx?: RequestContext): Promise<T>;
  /** Starts another replica of the service on the same database and namespace. */
  startReplica(env?: NodeJS.ProcessEnv): Promise<INestApplicationContext>;
  close(): Promise<void>;
}

/** The context the gateway sends before anyone is signed in (register, login, resolve). */
export const anonymous = (): RequestContext => ({
  workspaceId: '',
  actor: { id: 'gateway', type: 'system' },
  correlationId: randomUUID(),
});

/** The context the gateway sends for a signed-in user. */
export const asUser = (userId: string, workspaceId = '', role?: Role): RequestContext => ({
  workspaceId,
  actor: { id: userId, type: 'user', ...(role ? { role } : {}) },
  correlationId: randomUUID(),
});

/**
 * Creates a database and a namespace, boots the service (unless `boot: false`) and connects a
 * real `RpcClient`. `env` overrides the service's environment (BCRYPT_COST is 4 unless given).
 */
export async function startIdentity(env: NodeJS.ProcessEnv = {}, options: { boot?: boolean } = {}): Promise<IdentityHarness> {
  const db = await createTestDatabase('identity');
  const ns = randomNamespace('identity');
  const configFor = (extra: NodeJS.ProcessEnv): IdentityConfig =>
    loadIdentityConfig({
      ...process.env,
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      FLOWSTACK_NS: ns.prefix,
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '4',
      // Every request of these files comes over the bus without a client address (one bucket).
      AUTH_LOGIN_PER_IP_PER_MINUTE: '100000',
      AUTH_REGISTER_PER_IP_PER_HOUR: '100000',
      AUTH_LOGIN_FAILURES_PER_ACCOUNT: '1000',
      ...env,
      ...extra,
    });
  const config = configFor({});
  const apps: INestApplicationContext[] = [];
  const boot = async (extra: NodeJS.ProcessEnv): Promise<INestApplicationContext> => {
    const app = await startRpcMicroservice(createAppModule(configFor(extra)), {
      logger: ['error', 'warn'],
      abortOnError: false,
    });
    apps.push(app);
    return app;
  };
  let nc: NatsConnection;
  try {
    if (options.boot !== false) await boot({});
    nc = await connectNats({ url: TEST_NATS_URL, name: 'identity-int-spec' });
  } catch (e) {
    // A failed start leaves no database, namespace or replica behind (the spec's h stays unset).
    await Promise.allSettled(apps.map((app) => app.close()));
    await db.drop().catch(() => undefined);
    await cleanupNamespace(ns).catch(() => undefined);
    throw e;
  }
  const rpc = new RpcClient(nc, ns);
  const sql = new Pool({ connectionString: db.url, max: 2 });
  // A session the final forced drop ends must not fail the file through an unhandled 'error'.
  sql.on('error', () => undefined);
  return {
    config,
    db,
    ns,
    nc,
    sql,
    call: <T>(subject: string, payload: unknown, ctx: RequestContext = anonymous()) => rpc.request<T>(subject, payload, ctx),
    startReplica: boot,
    async close() {
      // Every replica is closed even if one fails to, so none keeps a session into the drop.
      const closed = await Promise.allSettled(apps.map((app) => app.close()));
      await nc.close();
      await sql.end();
      await db.drop();
      await cleanupNamespace(ns);
      const failed = closed.find((c) => c.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
