import type { NatsConnection } from '@nats-io/transport-node';

/** Where connection events go; Nest's `Logger` fits. */
export interface StatusLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Logs what the server tells this connection asynchronously: permission refusals (a publish or
 * subscribe the server's `permissions` deny is otherwise silent: the publish is dropped and only a
 * pending request fails), disconnects and reconnects, slow consumers. Runs until the connection
 * closes; never throws or rejects (a failure of the watch itself is logged).
 */
export function logConnectionStatus(nc: NatsConnection, name: string, logger: StatusLogger): void {
  const watch = async (): Promise<void> => {
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'error':
          logger.error(`NATS ${name}: ${s.error.message}`);
          break;
        case 'disconnect':
          logger.warn(`NATS ${name}: disconnected from ${s.server}`);
          break;
        case 'reconnect':
          logger.warn(`NATS ${name}: reconnected to ${s.server}`);
          break;
        case 'ldm':
          logger.warn(`NATS ${name}: server ${s.server} entered lame duck mode`);
          break;
        case 'slowConsumer':
          logger.warn(`NATS ${name}: slow consumer on ${s.sub.getSubject()} (${s.pending} pending)`);
          break;
        default:
          break;
      }
    }
  };
  watch().catch((e: unknown) => logger.error(`NATS ${name}: status watch failed: ${e instanceof Error ? e.message : String(e)}`));
}
