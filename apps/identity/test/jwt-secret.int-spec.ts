import { randomUUID } from 'node:crypto';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { sign } from 'jsonwebtoken';
import { Rpc, type AuthResult } from '@flowstack/contracts';
import { connectNats, RpcClient } from '@flowstack/messaging';
import {
  cleanupNamespace,
  createTestDatabase,
  randomNamespace,
  startService,
  TEST_NATS_URL,
  type ServiceProcess,
  type TestDatabase,
} from '@flowstack/testing';
import { anonymous } from './identity.harness';

/** The constant the service used to fall back to: public, so a token signed with it must never verify. */
const FORMER_PUBLIC_DEV_SECRET = 'flowstack-dev-only-jwt-secret-do-not-use-in-production';

/** An address of this machine that is not loopback (the NATS here listens on loopback only). */
function nonLoopbackAddress(): string {
  for (const nics of Object.values(networkInterfaces())) {
    for (const nic of nics ?? []) if (nic.family === 'IPv4' && !nic.internal) return nic.address;
  }
  throw new Error('this test needs a non-loopback IPv4 interface to reach NATS through');
}

/** A TCP relay on a non-loopback address to the real NATS, so NATS_URL is not loopback yet works. */
async function relayToNats(): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(TEST_NATS_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port || 4222), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  const host = nonLoopbackAddress();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `nats://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('JWT_SECRET rules of the identity process', () => {
  it('refuses to start without JWT_SECRET when NATS is not on loopback, before connecting anywhere', async () => {
    // Both addresses are unroutable: a connection attempt would hang, not end in this message.
    const failure = await startService('identity', {
      JWT_SECRET: '',
      FLOWSTACK_DEV: '',
      NODE_ENV: 'development',
      NATS_URL: 'nats://10.255.255.1:4222',
      DATABASE_URL: 'postgres://postgres@10.255.255.1:5432/flowstack',
    }).then(
      (proc: ServiceProcess) => proc.stop().then(() => new Error('identity started')),
      (e: Error) => e,
    );
    expect(failure.message).toMatch(/identity exited \(1\) before it was ready/);
    expect(failure.message).toMatch(
      /identity failed to start: JWT_SECRET is not set and NATS_URL \(nats:\/\/10\.255\.255\.1:4222\) is not on loopback/,
    );
  });

  describe('with FLOWSTACK_DEV=1 and a non-loopback NATS', () => {
    let db: TestDatabase;
    const ns = randomNamespace('identity-dev');
    let relay: Awaited<ReturnType<typeof relayToNats>>;
    let identity: ServiceProcess;

    beforeAll(async () => {
      db = await createTestDatabase('identity-dev');
      relay = await relayToNats();
      identity = await startService('identity', {
        JWT_SECRET: '',
        FLOWSTACK_DEV: '1',
        NODE_ENV: 'development',
        NATS_URL: relay.url,
        DATABASE_URL: db.url,
        FLOWSTACK_NS: ns.prefix,
        BCRYPT_COST: '4',
      });
    });
    afterAll(async () => {
      await identity?.stop();
      await relay?.close();
      await db?.drop();
      await cleanupNamespace(ns);
    });

    it('starts with a random key of its own, and a token signed with the former public key reads nothing', async () => {
      expect(identity.output()).toMatch(/JWT_SECRET is not set: signing tokens with a random key of this process/);
      const nc = await connectNats({ url: TEST_NATS_URL, name: 'jwt-secret-int-spec' });
      try {
        const rpc = new RpcClient(nc, ns);
        const registered = await rpc.request<AuthResult>(
          Rpc.identity.register,
          { email: `dev-${randomUUID().slice(0, 8)}@example.com`, password: 'password123' },
          anonymous(),
        );
        await expect(rpc.request(Rpc.identity.resolve, { token: registered.token }, anonymous())).resolves.toMatchObject({
          userId: registered.user.id,
        });
        const now = Math.floor(Date.now() / 1000);
        const forged = sign({ sub: registered.user.id, jti: randomUUID(), iat: now, exp: now + 600 }, FORMER_PUBLIC_DEV_SECRET, {
          algorithm: 'HS256',
        });
        await expect(rpc.request(Rpc.identity.resolve, { token: forged }, anonymous())).rejects.toMatchObject({
          code: 'unauthenticated',
          message: 'invalid token',
        });
      } finally {
        await nc.close();
      }
    });
  });
});
