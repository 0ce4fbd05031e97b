import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import type { Namespace, RequestContext, Role, WorkflowGraph } from '@flowstack/contracts';
import { connectNats, RpcClient, startRpcMicroservice } from '@flowstack/messaging';
import { cleanupNamespace, createTestDatabase, randomNamespace, TEST_NATS_URL, type TestDatabase } from '@flowstack/testing';
import { createAppModule } from '../src/app.module';
import { loadRegistryConfig } from '../src/registry.config';

/** One registry service in this process, on its own database and NATS namespace, and a client. */
export interface RegistryHarness {
  db: TestDatabase;
  ns: Namespace;
  /** A plain pool on the test database, for assertions on stored rows. */
  sql: Pool;
  call<T>(subject: string, payload: unknown, ctx: RequestContext): Promise<T>;
  /** The environment the registry started with (its `FLOWSTACK_MASTER_KEY` among it). */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** A fresh `FLOWSTACK_MASTER_KEY` value: `v<version>:<base64 of 32 random bytes>`. */
export const newMasterKey = (version = 1): string => `v${version}:${randomBytes(32).toString('base64')}`;

/** The context the tool-runner sends for a task of `workspaceId` (what the sealed-value subjects insist on). */
export const asToolRunner = (workspaceId: string): RequestContext => ({
  workspaceId,
  actor: { id: 'tool-runner', type: 'system' },
  correlationId: randomUUID(),
});

/** The context the gateway sends for a member of `workspaceId`. */
export const inWorkspace = (workspaceId: string, role: Role = 'editor', actorId: string = randomUUID()): RequestContext => ({
  workspaceId,
  actor: { id: actorId, type: 'user', role },
  correlationId: randomUUID(),
});

/** `input -> transform -> output`, valid for `validateGraph`; `label` tells versions apart. */
export const validGraph = (label = 'v1'): WorkflowGraph => ({
  entry_point: 'start',
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'shape', type: 'transform', config: { expression: '{ "greeting": "hello " & input.name }' } },
    { id: 'end', type: 'output', config: { value: label } },
  ],
  edges: [
    { from: 'start', to: 'shape' },
    { from: 'shape', to: 'end' },
  ],
});

/** Starts a registry; `env` adds to (or, with `undefined` values, removes from) its environment. */
export async function startRegistry(extraEnv: Record<string, string | undefined> = {}): Promise<RegistryHarness> {
  const db = await createTestDatabase('registry');
  const ns = randomNamespace('registry');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWSTACK_MASTER_KEY: newMasterKey(),
    ...extraEnv,
    DATABASE_URL: db.url,
    NATS_URL: TEST_NATS_URL,
    FLOWSTACK_NS: ns.prefix,
  };
  const config = loadRegistryConfig(env);
  let app: INestApplicationContext | undefined;
  let nc: NatsConnection | undefined;
  const sql = new Pool({ connectionString: db.url, max: 2 });
  // A session the final forced drop ends must not fail the file through an unhandled 'error'.
  sql.on('error', () => undefined);
  const close = async (): Promise<void> => {
    await app?.close();
    await nc?.close();
    await sql.end();
    await db.drop();
    await cleanupNamespace(ns);
  };
  try {
    app = await startRpcMicroservice(createAppModule(config), { logger: ['error', 'warn'], abortOnError: false });
    nc = await connectNats({ url: TEST_NATS_URL, name: 'registry-int-spec' });
  } catch (e) {
    await close();
    throw e;
  }
  const rpc = new RpcClient(nc, ns);
  return {
    db,
    ns,
    sql,
    call: <T>(subject: string, payload: unknown, ctx: RequestContext) => rpc.request<T>(subject, payload, ctx),
    env,
    close,
  };
}
