import { nanos } from '@nats-io/transport-node';
import {
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  DiscardPolicy,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { streamName, subject, type Namespace } from '@flowstack/contracts';
import { authStreamName } from './auth-feed/auth-buckets';
import { rateLimitBucketName } from './auth-feed/rate-limit-bucket';
import { valuesStreamName } from './claim-check/values-bucket';
import { streamReplicas } from './stream-replicas';

/** How long JetStream remembers a `Nats-Msg-Id`: a second publish of the same id inside it is dropped. */
export const DUPLICATE_WINDOW_MS = 5 * 60_000;

/** The three streams of ARCHITECTURE.md section 4, under the namespace. */
export function streamConfigs(ns: Namespace): Record<'EVENTS' | 'WORK' | 'RESULTS', Partial<StreamConfig> & { name: string }> {
  const base = { storage: StorageType.File, duplicate_window: nanos(DUPLICATE_WINDOW_MS), num_replicas: streamReplicas() };
  return {
    EVENTS: {
      ...base,
      name: streamName(ns, 'EVENTS'),
      subjects: [subject(ns, 'events.>')],
      retention: RetentionPolicy.Limits,
      max_age: nanos(7 * 24 * 3600_000),
      discard: DiscardPolicy.Old,
    },
    WORK: {
      ...base,
      name: streamName(ns, 'WORK'),
      subjects: [subject(ns, 'work.>')],
      retention: RetentionPolicy.Workqueue,
    },
    RESULTS: {
      ...base,
      name: streamName(ns, 'RESULTS'),
      subjects: [subject(ns, 'results.>')],
      retention: RetentionPolicy.Workqueue,
    },
  };
}

/**
 * Creates the named streams if missing (idempotent; safe when several replicas start at once).
 * Each service ensures the streams it writes to or reads from at start-up.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  ns: Namespace,
  which: ReadonlyArray<'EVENTS' | 'WORK' | 'RESULTS'>,
): Promise<void> {
  const configs = streamConfigs(ns);
  for (const key of which) {
    const cfg = configs[key];
    try {
      await jsm.streams.info(cfg.name);
    } catch (e) {
      if (!(e instanceof JetStreamApiError) || e.status !== 404) throw e;
      try {
        await jsm.streams.add(cfg);
      } catch (addErr) {
        // Another replica created it between our info and add.
        if (!(addErr instanceof JetStreamApiError) || !/already in use|exists/i.test(addErr.message)) throw addErr;
      }
    }
  }
}

/** Removes a namespace's streams, its values bucket and its auth buckets (tests and benchmarks clean up after themselves). */
export async function deleteStreams(jsm: JetStreamManager, ns: Namespace): Promise<void> {
  const names = [
    ...(['EVENTS', 'WORK', 'RESULTS'] as const).map((n) => streamName(ns, n)),
    valuesStreamName(ns),
    authStreamName(ns, 'REVOCATIONS'),
    authStreamName(ns, 'MEMBERSHIPS'),
    authStreamName(ns, 'API_KEYS'),
    `KV_${rateLimitBucketName(ns)}`,
  ];
  for (const name of names) {
    try {
      await jsm.streams.delete(name);
    } catch {
      /* already gone */
    }
  }
}
