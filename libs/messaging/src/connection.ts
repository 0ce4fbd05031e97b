import { connect, type NatsConnection } from '@nats-io/transport-node';
import { FlowstackError } from '@flowstack/contracts';
import { authenticatorOf, describeNatsAuth, natsAuthFromEnv, type NatsAuth } from './nats-auth';
// Before any connection makes a request: see the file.
import './nats-request-fix';
import './nats-write-coalescing';

export interface NatsSettings {
  url: string;
  /** Shown in the server's connection list (`nats server report connections`). */
  name: string;
  /** Credentials; default: from the environment (`natsAuthFromEnv`). */
  auth?: NatsAuth;
}

/** `nats://user:secret@host` -> `nats://user:***@host`, for messages. */
const redactNatsUrl = (url: string): string =>
  url.replace(/\/\/([^:/@]+):[^@/]*@/g, '//$1:***@').replace(/\/\/[^:/@]+@/g, '//***@');

/**
 * Connects once, failing fast with a message that says what to do: a service that cannot reach
 * NATS at start-up has nothing useful to do. After that, nats.js reconnects on its own forever
 * (with the same credentials). Credentials come from `settings.auth` or the environment and never
 * appear in a message: errors name the method and the user or public key only.
 */
export async function connectNats(settings: NatsSettings): Promise<NatsConnection> {
  const auth = settings.auth ?? natsAuthFromEnv();
  const authenticator = authenticatorOf(auth);
  try {
    return await connect({
      // NATS_URL may name several servers of a cluster, separated by commas.
      servers: settings.url
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
      name: settings.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 3_000,
      ...(authenticator ? { authenticator } : {}),
      // nats.js otherwise builds two Error objects per request and publish for async stack traces:
      // 15% of the orchestrator's CPU in the benchmark. Our RPC errors already name the subject.
      noAsyncTraces: true,
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const url = redactNatsUrl(settings.url);
    if (/authoriz|authenticat|permission/i.test(reason)) {
      throw new FlowstackError(
        'unavailable',
        `NATS at ${url} refused ${describeNatsAuth(auth)} (${reason}). Check NATS_USER/NATS_PASSWORD, ` +
          'NATS_TOKEN, NATS_NKEY_SEED or NATS_CREDS against the server configuration (deploy/nats/README.md).',
      );
    }
    throw new FlowstackError(
      'unavailable',
      `cannot reach NATS at ${url} (${reason}). ` +
        'Start a NATS server with JetStream enabled, e.g. `nats-server -js -a 127.0.0.1 -p 4222`, ' +
        'or set NATS_URL.',
    );
  }
}
