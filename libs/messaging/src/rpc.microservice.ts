import type { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AsyncMicroserviceOptions } from '@nestjs/microservices';
import { RpcErrorFilter } from './rpc-error.filter';
import { RpcServer } from './rpc.server';

/** Nest's options for the app (`logger`, `abortOnError`, ...). */
export type RpcMicroserviceOptions = Omit<
  Parameters<typeof NestFactory.createMicroservice>[1],
  'inject' | 'useFactory' | 'strategy'
>;

/**
 * Creates a service as a Nest microservice on our NATS transport and starts serving its
 * `@MessagePattern` handlers. The strategy is MessagingModule's `RpcServer` provider, so it shares
 * the service's one NATS connection and namespace; `RpcErrorFilter` keeps typed errors typed.
 * `app.close()` (or SIGTERM with shutdown hooks) drains the handlers before the connection.
 */
export async function startRpcMicroservice(
  module: Type<unknown> | DynamicModule,
  options: RpcMicroserviceOptions = {},
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<AsyncMicroserviceOptions>(module, {
    ...options,
    inject: [RpcServer],
    useFactory: (strategy: RpcServer) => ({ strategy }),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  try {
    await app.listen();
  } catch (e) {
    // A pattern the transport refuses: nothing stays half-started (connections, pools).
    await app.close().catch(() => undefined);
    throw e;
  }
  return app;
}
