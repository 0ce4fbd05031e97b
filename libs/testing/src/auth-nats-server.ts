import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import type { Namespace } from '@flowstack/contracts';
import {
  BUS_SERVICES,
  renderNatsServerConfig,
  type BusCredential,
  type BusService,
  type SubjectPermissions,
} from '@flowstack/messaging';
import { spawnNatsServer, type OwnNatsServer } from './nats-server';
import { freePort } from './service-process';

/** A nats-server of its own (auth + JetStream), configured with the platform's permissions. */
export interface AuthNatsServer extends OwnNatsServer {
  /** Per-service environment with that service's credentials (for `startPlatform`'s `serviceEnv`). */
  serviceEnv: Record<BusService, Record<string, string>>;
  /** A user that may connect but has no permission on any platform subject. */
  stranger: { user: string; pass: string };
  /** The rendered configuration (for failure messages). */
  config: string;
}

const secret = (): string => randomBytes(18).toString('base64url');

/**
 * Starts `nats-server` on a free loopback port with a generated configuration: JetStream in a
 * temporary store, authentication required, one user per service with the permissions of
 * `busPermissions(namespace)`. Identity and registry log in with a user and password, the others
 * with nkeys, so both ways are exercised. Resolves once the server accepts a connection.
 */
export async function startAuthNatsServer(namespace: Namespace): Promise<AuthNatsServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowstack-nats-'));
  const port = await freePort();
  const credentials = {} as Record<BusService, BusCredential>;
  const serviceEnv = {} as Record<BusService, Record<string, string>>;
  for (const service of BUS_SERVICES) {
    if (service === 'identity' || service === 'registry') {
      const password = secret();
      credentials[service] = { user: service, password };
      serviceEnv[service] = { NATS_USER: service, NATS_PASSWORD: password };
    } else {
      const pair = nkeys.createUser();
      credentials[service] = { nkey: pair.getPublicKey() };
      serviceEnv[service] = { NATS_NKEY_SEED: new TextDecoder().decode(pair.getSeed()) };
    }
  }
  const stranger = { user: 'stranger', pass: secret() };
  const nothing: SubjectPermissions = { publish: [], subscribe: ['_INBOX.>'], allowResponses: false };
  const config = renderNatsServerConfig({
    namespace,
    credentials,
    listen: `127.0.0.1:${port}`,
    storeDir: path.join(dir, 'jetstream'),
    extraUsers: [{ credential: { user: stranger.user, password: stranger.pass }, permissions: nothing }],
  });
  const server = await spawnNatsServer(dir, config, `nats://127.0.0.1:${port}`, {
    user: stranger.user,
    pass: stranger.pass,
  });
  return { ...server, serviceEnv, stranger, config };
}
