import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { namespaceOf, type Namespace } from '@flowstack/contracts';
import { deleteStreams } from '@flowstack/messaging';

export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A unique subject/stream namespace for one test file (`t_<hex>`). */
export const randomNamespace = (label = 't'): Namespace =>
  namespaceOf(`${label.replace(/[^a-z0-9]/gi, '')}_${randomBytes(4).toString('hex')}`);

/** Deletes the namespace's JetStream streams (their consumers go with them). */
export async function cleanupNamespace(ns: Namespace, natsUrl = TEST_NATS_URL): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    await deleteStreams(await jetstreamManager(nc), ns);
  } finally {
    await nc.close();
  }
}
