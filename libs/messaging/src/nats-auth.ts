import { readFileSync } from 'node:fs';
import {
  credsAuthenticator,
  nkeyAuthenticator,
  nkeys,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
} from '@nats-io/transport-node';
import { FlowstackError } from '@flowstack/contracts';

/**
 * How a service authenticates to NATS, read from its environment (at most one way):
 * - `NATS_USER` + `NATS_PASSWORD`: a user of the server's `authorization.users`;
 * - `NATS_TOKEN`: the server's single `authorization.token` (no per-service permissions);
 * - `NATS_NKEY_SEED`: an nkey user's seed (`SU...`); the server knows only the public key;
 * - `NATS_CREDS`: the path of a `.creds` file (JWT + seed, decentralized auth with an operator).
 * None of them set: no authentication (a development server without auth).
 */
export type NatsAuth =
  | { kind: 'none' }
  | { kind: 'user'; user: string; password: string }
  | { kind: 'token'; token: string }
  | { kind: 'nkey'; seed: string }
  | { kind: 'creds'; file: string };

const invalid = (message: string): FlowstackError => new FlowstackError('validation_failed', message);

/**
 * Reads the NATS credentials of this process. Throws `validation_failed` naming the variables
 * (never their values) when they contradict each other or are malformed, so a misconfigured
 * service stops at start-up instead of retrying a connection the server will always refuse.
 */
export function natsAuthFromEnv(env: NodeJS.ProcessEnv = process.env): NatsAuth {
  const set = (name: string): string | undefined => (env[name] ? env[name] : undefined);
  const user = set('NATS_USER');
  const password = set('NATS_PASSWORD');
  const token = set('NATS_TOKEN');
  const seed = set('NATS_NKEY_SEED');
  const creds = set('NATS_CREDS');
  const ways = [user !== undefined || password !== undefined, token, seed, creds].filter(Boolean).length;
  if (ways > 1) {
    throw invalid('set only one of NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_NKEY_SEED and NATS_CREDS');
  }
  if (user !== undefined || password !== undefined) {
    if (!user || !password) throw invalid('NATS_USER and NATS_PASSWORD go together: set both or neither');
    return { kind: 'user', user, password };
  }
  if (token) return { kind: 'token', token };
  if (seed) {
    try {
      nkeys.fromSeed(new TextEncoder().encode(seed.trim()));
    } catch {
      throw invalid('NATS_NKEY_SEED is not an nkey seed (it starts with "SU"; `nk -gen user` makes one)');
    }
    return { kind: 'nkey', seed: seed.trim() };
  }
  if (creds) return { kind: 'creds', file: creds };
  return { kind: 'none' };
}

/** What a log line may say about the credentials: the method and the public part, never a secret. */
export function describeNatsAuth(auth: NatsAuth): string {
  switch (auth.kind) {
    case 'none':
      return 'no credentials';
    case 'user':
      return `user "${auth.user}"`;
    case 'token':
      return 'a token';
    case 'nkey':
      return `nkey ${nkeys.fromSeed(new TextEncoder().encode(auth.seed)).getPublicKey()}`;
    case 'creds':
      return `creds file ${auth.file}`;
  }
}

/** The nats.js authenticator for `auth`; reads a creds file now, so a missing one fails at start-up. */
export function authenticatorOf(auth: NatsAuth): Authenticator | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'user':
      return usernamePasswordAuthenticator(auth.user, auth.password);
    case 'token':
      return tokenAuthenticator(auth.token);
    case 'nkey':
      return nkeyAuthenticator(new TextEncoder().encode(auth.seed));
    case 'creds': {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(auth.file);
      } catch (e) {
        throw invalid(`cannot read the NATS_CREDS file ${auth.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      return credsAuthenticator(bytes);
    }
  }
}
