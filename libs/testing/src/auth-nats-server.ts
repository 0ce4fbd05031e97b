import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, nkeys } from '@nats-io/transport-node';
import type { Namespace } from '@flowstack/contracts';
import {
  BUS_SERVICES,
  renderNatsServerConfig,
  type BusCredential,
  type BusService,
  type SubjectPermissions,
} from '@flowstack/messaging';
import { freePort } from './service-process';
import { waitFor } from './wait-for';

const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/** A nats-server of its own (auth + JetStream), configured with the platform's permissions. */
export interface AuthNatsServer {
  url: string;
  /** Per-service environment with that service's credentials (for `startPlatform`'s `serviceEnv`). */
  serviceEnv: Record<BusService, Record<string, string>>;
  /** A user that may connect but has no permission on any platform subject. */
  stranger: { user: string; pass: string };
  /** The rendered configuration (for failure messages). */
  config: string;
  output(): string;
  /** Stops the server and removes its configuration and JetStream store. */
  stop(): Promise<void>;
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
  const file = path.join(dir, 'nats-server.conf');
  writeFileSync(file, config);

  const child = spawn(NATS_SERVER_BIN, ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `nats://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`nats-server exited:\n${output}`);
        const nc = await connect({ servers: url, user: stranger.user, pass: stranger.pass, timeout: 1_000 });
        await nc.close();
        return true;
      },
      'the test nats-server to accept connections',
      15_000,
      50,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, serviceEnv, stranger, config, output: () => output, stop };
}
