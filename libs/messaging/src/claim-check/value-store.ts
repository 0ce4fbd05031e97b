import type { NatsConnection } from '@nats-io/transport-node';
import { Objm, StorageType, type ObjectStore } from '@nats-io/obj';
import {
  FlowstackError,
  Limits,
  isSha256Hex,
  isValueRef,
  valueRefBytes,
  type Namespace,
  type ValueRef,
} from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION } from '../messaging.module';
import { streamReplicas } from '../stream-replicas';
import { valuesBucketName } from './values-bucket';
import { decideOffload, sha256Hex, type EncodedValue } from './value-bytes';
import { ValueCache } from './value-cache';

/** Bytes of resolved values one process keeps in memory (by their JSON): four of the largest. */
export const VALUE_CACHE_BYTES = 4 * Limits.maxValueBytes;

/**
 * The outcome of `ValueStore.offload`: the value itself, its reference, or too large to keep.
 * `size` (inline) and `ref.size` are the UTF-8 bytes of the value's JSON; for a value that already
 * was a reference, the size of the value it names.
 */
export type Offloaded =
  { kind: 'inline'; value: unknown; size: number } | { kind: 'ref'; ref: ValueRef } | { kind: 'too_large'; size: number };

/** Object keys already known to be stored, so a repeated offload costs no round trip. */
const KNOWN_KEYS_MAX = 10_000;

/**
 * The claim-check store: values too large to travel inline, on JetStream's object store, one
 * bucket per namespace, keyed `<workspaceId>.<sha256>` (content-addressed: the same value stored
 * twice is stored once). Every read is scoped by the caller's workspace and verified against its
 * digest. Resolved values are cached in a bounded LRU.
 *
 * Retention: none (no TTL, no size cap): the values belong to the audit log. Deleting them comes
 * with a retention policy for executions.
 *
 * Failures: a read of a value that is not there (or not in this workspace) throws `not_found`; a
 * value whose bytes do not match their digest throws `internal`; NATS errors propagate as they
 * are (retryable: the store is idempotent, so the same call may simply be made again).
 */
export class ValueStore {
  private readonly cache: ValueCache;
  private readonly known = new Set<string>();
  private readonly reading = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly os: ObjectStore,
    cacheBytes: number,
  ) {
    this.cache = new ValueCache(cacheBytes);
  }

  /** Opens the namespace's bucket, creating it if missing (idempotent; safe from several replicas at once). */
  static async open(nc: NatsConnection, ns: Namespace, cacheBytes = VALUE_CACHE_BYTES): Promise<ValueStore> {
    const objm = new Objm(nc);
    const bucket = valuesBucketName(ns);
    let os: ObjectStore;
    try {
      os = await objm.create(bucket, {
        storage: StorageType.File,
        replicas: streamReplicas(),
        description: 'Flowstack claim-check values',
      });
    } catch (e) {
      // Another service created it between the existence check and the create.
      if (!/already in use|exists/i.test((e as Error).message)) throw e;
      os = await objm.open(bucket);
    }
    return new ValueStore(os, cacheBytes);
  }

  /**
   * Stores the value out of band if its JSON is above `Limits.inlineValueBytes` and returns its
   * reference; returns it as it is when small (and a reference as it is: never stored twice);
   * `too_large` above `Limits.maxValueBytes`. Small values cost no serialization when they are
   * scalars or short strings.
   */
  async offload(workspaceId: string, value: unknown): Promise<Offloaded> {
    if (isValueRef(value)) return { kind: 'inline', value, size: valueRefBytes(value) };
    const decision = decideOffload(value);
    if (decision.kind === 'inline') return { kind: 'inline', value, size: decision.size };
    if (decision.kind === 'too_large') return decision;
    await this.put(workspaceId, decision.encoded, value);
    return { kind: 'ref', ref: decision.encoded.ref };
  }

  /** Stores an encoded value (once: an existing key is left as it is) and caches `value` under it. */
  async put(workspaceId: string, encoded: EncodedValue, value: unknown): Promise<ValueRef> {
    const key = keyOf(workspaceId, encoded.sha256);
    if (!this.known.has(key)) {
      const info = await this.os.info(key);
      if (!info || info.deleted) await this.os.putBlob({ name: key }, encoded.bytes);
      this.remember(key);
    }
    this.cache.set(key, value, encoded.bytes.length);
    return encoded.ref;
  }

  /** The value a reference names, in this workspace; verified against its digest. */
  async resolve(workspaceId: string, ref: ValueRef): Promise<unknown> {
    return this.read(workspaceId, ref.sha256);
  }

  /** Resolves `value` if it is a reference, else returns it as it is. */
  resolveIfRef(workspaceId: string, value: unknown): Promise<unknown> {
    return isValueRef(value) ? this.read(workspaceId, value.sha256) : Promise.resolve(value);
  }

  /** The raw JSON bytes of a stored value of this workspace (downloads), or undefined if there is none. */
  async bytesOf(workspaceId: string, sha256: string): Promise<Uint8Array | undefined> {
    if (!isSha256Hex(sha256)) return undefined;
    const bytes = await this.os.getBlob(keyOf(workspaceId, sha256));
    if (!bytes) return undefined;
    assertDigest(bytes, sha256);
    return bytes;
  }

  private async read(workspaceId: string, sha256: string): Promise<unknown> {
    const key = keyOf(workspaceId, sha256);
    const hit = this.cache.get(key);
    if (hit) return hit.value;
    // Concurrent resolutions of one value share one download.
    let pending = this.reading.get(key);
    if (!pending) {
      pending = this.download(workspaceId, sha256, key).finally(() => this.reading.delete(key));
      this.reading.set(key, pending);
    }
    return pending;
  }

  private async download(workspaceId: string, sha256: string, key: string): Promise<unknown> {
    const bytes = await this.bytesOf(workspaceId, sha256);
    if (!bytes) throw new FlowstackError('not_found', `value ${sha256} not found`);
    const value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')) as unknown;
    this.remember(key);
    this.cache.set(key, value, bytes.length);
    return value;
  }

  private remember(key: string): void {
    if (this.known.size >= KNOWN_KEYS_MAX) this.known.clear();
    this.known.add(key);
  }
}

const keyOf = (workspaceId: string, sha256: string): string => `${workspaceId}.${sha256}`;

function assertDigest(bytes: Uint8Array, sha256: string): void {
  if (sha256Hex(bytes) !== sha256) throw new FlowstackError('internal', `value ${sha256} does not match its digest`);
}

/** The Nest provider of a service's `ValueStore` (its namespace's bucket, opened at start-up). */
export const valueStoreProvider = {
  provide: ValueStore,
  inject: [NATS_CONNECTION, NAMESPACE],
  useFactory: (nc: NatsConnection, ns: Namespace): Promise<ValueStore> => ValueStore.open(nc, ns),
};
