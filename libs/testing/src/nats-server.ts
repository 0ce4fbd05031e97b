import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ownProcess } from './own-process';
import { freePort } from './service-process';
import { waitFor } from './wait-for';

/** A nats-server process of a test's own, with JetStream in a temporary store. */
export interface OwnNatsServer {
  url: string;
  output(): string;
  /**
   * Stops the server (SIGTERM, or SIGKILL with `{ kill: true }`) and starts it again with the same
   * configuration, port and store directory; resolves once it accepts connections again.
   */
  restart(options?: { kill?: boolean }): Promise<void>;
  /** SIGKILL, keeping the store directory (`restart` starts it again). */
  kill(): Promise<void>;
  /** Stops the server and removes its configuration and store. */
  stop(): Promise<void>;
}

export interface OwnNatsServerOptions {
  /** The server's `max_payload` in bytes (a deployment whose messages are smaller than ours). */
  maxPayload?: number;
}

/**
 * Starts `nats-server` (no auth) on a free loopback port for a test that needs server settings the
 * shared one does not have. Resolves once it accepts a connection.
 */
export async function startNatsServer(options: OwnNatsServerOptions = {}): Promise<OwnNatsServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowstack-nats-'));
  const port = await freePort();
  const lines = [
    `listen: "127.0.0.1:${port}"`,
    `jetstream { store_dir: "${path.join(dir, 'jetstream')}" }`,
    ...(options.maxPayload ? [`max_payload: ${options.maxPayload}`] : []),
  ];
  return spawnNatsServer(dir, `${lines.join('\n')}\n`, `nats://127.0.0.1:${port}`, {});
}

/**
 * Runs `nats-server -c <config>` with the configuration written into `dir` (removed on stop), and
 * resolves once a client with `connectOptions` (credentials) can connect to `url`.
 */
export async function spawnNatsServer(
  dir: string,
  config: string,
  url: string,
  connectOptions: Record<string, unknown>,
): Promise<OwnNatsServer> {
  const file = path.join(dir, 'nats-server.conf');
  writeFileSync(file, config);
  const proc = ownProcess(process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server', ['-c', file]);
  const halt = (signal: NodeJS.Signals): Promise<void> => proc.halt(signal);
  const ready = (): Promise<unknown> =>
    waitFor(
      async () => {
        if (proc.current().exitCode !== null) throw new Error(`nats-server exited:\n${proc.output()}`);
        const nc = await connect({ servers: url, timeout: 1_000, ...connectOptions });
        await nc.close();
        return true;
      },
      'the test nats-server to accept connections',
      15_000,
      50,
    );
  const stop = async (): Promise<void> => {
    await halt('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const restart = async (options: { kill?: boolean } = {}): Promise<void> => {
    await halt(options.kill ? 'SIGKILL' : 'SIGTERM');
    proc.relaunch();
    await ready();
  };
  try {
    await ready();
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, output: () => proc.output(), restart, kill: () => halt('SIGKILL'), stop };
}

/** Three (or `size`) nats-servers on loopback forming one JetStream cluster, each with its own store. */
export interface OwnNatsCluster {
  /** Every node's client URL, comma-separated (what `NATS_URL` takes). */
  url: string;
  nodes: OwnNatsServer[];
  stop(): Promise<void>;
}

/**
 * Starts a JetStream cluster of `size` nodes (`server_name` n1..nN, cluster routes between them)
 * on free loopback ports, each node with a store directory of its own; resolves once JetStream
 * answers through the cluster (a meta leader is elected).
 */
export async function startNatsCluster(size = 3): Promise<OwnNatsCluster> {
  const root = mkdtempSync(path.join(tmpdir(), 'flowstack-nats-cluster-'));
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clientPorts.push(await freePort());
    routePorts.push(await freePort());
  }
  const nodes: OwnNatsServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const started = await Promise.all(
      clientPorts.map((port, i) => {
        const dir = path.join(root, `n${i + 1}`);
        mkdirSync(dir);
        const routes = routePorts.filter((_, j) => j !== i).map((p) => `"nats-route://127.0.0.1:${p}"`);
        const config = [
          `server_name: n${i + 1}`,
          `listen: "127.0.0.1:${port}"`,
          `jetstream { store_dir: "${path.join(dir, 'jetstream')}" }`,
          `cluster { name: flowstack-test, listen: "127.0.0.1:${routePorts[i]}", routes: [${routes.join(', ')}] }`,
        ];
        return spawnNatsServer(dir, `${config.join('\n')}\n`, `nats://127.0.0.1:${port}`, {});
      }),
    );
    nodes.push(...started);
    const url = clientPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
    await waitFor(
      async () => {
        const nc = await connect({ servers: url.split(','), timeout: 1_000 });
        try {
          await (await jetstreamManager(nc)).getAccountInfo();
          return true;
        } finally {
          await nc.close();
        }
      },
      'the JetStream cluster to elect a meta leader',
      30_000,
      200,
    );
    return { url, nodes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
