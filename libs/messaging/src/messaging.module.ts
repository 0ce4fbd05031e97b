import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { namespaceOf, registerReadinessCheck, streamName, type Namespace } from '@flowstack/contracts';
import { connectNats } from './connection';
import { logConnectionStatus } from './connection-status';
import { natsAuthFromEnv, type NatsAuth } from './nats-auth';
import { RpcClient } from './rpc.client';
import { RpcServer } from './rpc.server';
import { ensureStreams } from './streams';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const NAMESPACE = Symbol('NAMESPACE');
export const JETSTREAM = Symbol('JETSTREAM');
export const JETSTREAM_MANAGER = Symbol('JETSTREAM_MANAGER');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** The queue group of this service's request handlers (`registry`, `identity`, ...). */
  serviceName: string;
  natsUrl?: string;
  namespace?: string;
  /** NATS credentials; default from the environment (`NATS_USER`/`NATS_PASSWORD`, `NATS_TOKEN`, `NATS_NKEY_SEED`, `NATS_CREDS`). */
  auth?: NatsAuth;
  /** Streams this service needs; created idempotently at start-up. */
  streams?: ReadonlyArray<'EVENTS' | 'WORK' | 'RESULTS'>;
}

/**
 * Drains the connection when Nest shuts down, after the RPC handlers (a microservice's `close()`
 * drains its `RpcServer` before the shutdown hooks run; this covers an app that closes otherwise).
 */
@Injectable()
class NatsLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly server: RpcServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.server.close().catch(() => undefined);
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
  }
}

/**
 * Gives a service its NATS connection, namespace, JetStream handles, the RPC transport strategy
 * (`RpcServer`, queue group `serviceName`; served by `startRpcMicroservice`) and its client
 * (`RpcClient`, a Nest `ClientProxy`), both on the one connection.
 * Options default from the environment (`NATS_URL`, `FLOWSTACK_NS`, the NATS credentials of `natsAuthFromEnv`).
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    const natsUrl = options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    const ns = namespaceOf(options.namespace ?? process.env.FLOWSTACK_NS ?? '');
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: NAMESPACE, useValue: ns },
        {
          provide: NATS_CONNECTION,
          useFactory: async () => {
            const name = `flowstack-${options.serviceName}-${process.pid}`;
            const nc = await connectNats({ url: natsUrl, name, auth: options.auth ?? natsAuthFromEnv(process.env) });
            logConnectionStatus(nc, options.serviceName, new Logger('nats'));
            // Readiness: a round trip to the server (fails while disconnected or once closed).
            registerReadinessCheck('nats', async () => {
              if (nc.isClosed()) throw new Error('the NATS connection is closed');
              await nc.rtt();
            });
            return nc;
          },
        },
        {
          provide: JETSTREAM_MANAGER,
          inject: [NATS_CONNECTION],
          useFactory: async (nc: NatsConnection): Promise<JetStreamManager> => {
            const jsm = await jetstreamManager(nc);
            if (options.streams?.length) await ensureStreams(jsm, ns, options.streams);
            for (const stream of options.streams ?? []) {
              const name = streamName(ns, stream);
              registerReadinessCheck(`stream:${stream}`, () => jsm.streams.info(name));
            }
            return jsm;
          },
        },
        {
          provide: JETSTREAM,
          inject: [NATS_CONNECTION, JETSTREAM_MANAGER],
          useFactory: (nc: NatsConnection): JetStreamClient => jetstream(nc),
        },
        {
          provide: RpcServer,
          inject: [NATS_CONNECTION, NAMESPACE],
          useFactory: (nc: NatsConnection, namespace: Namespace) => new RpcServer(nc, namespace, options.serviceName),
        },
        {
          provide: RpcClient,
          inject: [NATS_CONNECTION, NAMESPACE],
          useFactory: (nc: NatsConnection, namespace: Namespace) => new RpcClient(nc, namespace),
        },
        NatsLifecycle,
      ],
      exports: [NAMESPACE, NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER, RpcServer, RpcClient, MESSAGING_OPTIONS],
    };
  }
}
