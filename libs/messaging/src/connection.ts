import { connect, type NatsConnection } from '@nats-io/transport-node';
import { FlowstackError } from '@flowstack/contracts';

export interface NatsSettings {
  url: string;
  /** Shown in the server's connection list (`nats server report connections`). */
  name: string;
}

/**
 * Connects once, failing fast with a message that says what to do: a service that cannot reach
 * NATS at start-up has nothing useful to do. After that, nats.js reconnects on its own forever.
 */
export async function connectNats(settings: NatsSettings): Promise<NatsConnection> {
  try {
    return await connect({
      servers: settings.url,
      name: settings.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 3_000,
      // nats.js otherwise builds two Error objects per request and publish for async stack traces:
      // 15% of the orchestrator's CPU in the benchmark. Our RPC errors already name the subject.
      noAsyncTraces: true,
    });
  } catch (e) {
    throw new FlowstackError(
      'unavailable',
      `cannot reach NATS at ${settings.url} (${e instanceof Error ? e.message : String(e)}). ` +
        'Start a NATS server with JetStream enabled, e.g. `nats-server -js -a 127.0.0.1 -p 4222`, ' +
        'or set NATS_URL.',
    );
  }
}
