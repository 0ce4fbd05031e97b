import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { FlowstackError, Limits, isValueRef, namespaceOf, type ValueRef } from '@flowstack/contracts';
import { deleteStreams } from '../streams';
import { encodeValue } from './value-bytes';
import { ValueStore } from './value-store';
import { valuesBucketName, valuesStreamName } from './values-bucket';

/** The claim-check store on the real NATS server's object store (JetStream 2.9). */
describe('ValueStore', () => {
  const ns = namespaceOf(`values_${randomUUID().slice(0, 8)}`);
  let nc: NatsConnection;
  let store: ValueStore;
  const ws = randomUUID();
  const big = { text: 'v'.repeat(Limits.inlineValueBytes + 1_000), id: randomUUID() };

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    // Several services open the bucket at once at start-up: all of them must succeed.
    const stores = await Promise.all(Array.from({ length: 4 }, () => ValueStore.open(nc, ns)));
    store = stores[0];
  });

  afterAll(async () => {
    if (nc) await deleteStreams(await jetstreamManager(nc), ns);
    await nc?.close();
  });

  /** A store of its own (empty cache), as another process would read. */
  const freshStore = () => ValueStore.open(nc, ns);

  it('keeps small values inline and stores large ones once, by content', async () => {
    expect(await store.offload(ws, { small: true })).toEqual({ kind: 'inline', value: { small: true }, size: 14 });
    const first = await store.offload(ws, big);
    const second = await (await freshStore()).offload(ws, { ...big });
    expect(first.kind).toBe('ref');
    expect(second).toEqual(first);
    const ref = (first as { ref: ValueRef }).ref;
    expect(isValueRef(ref)).toBe(true);
    expect(ref.size).toBe(Buffer.byteLength(JSON.stringify(big)));
    const objects = await (await new Objm(nc).open(valuesBucketName(ns))).list();
    expect(objects.filter((o) => o.name === `${ws}.${ref.sha256}`)).toHaveLength(1);
  });

  it('resolves a reference from a store with an empty cache (verified against its digest)', async () => {
    const { ref } = (await store.offload(ws, big)) as { ref: ValueRef };
    expect(await (await freshStore()).resolve(ws, ref)).toEqual(big);
    expect(await store.resolveIfRef(ws, 'plain')).toBe('plain');
  });

  it('never resolves a value for another workspace: not_found', async () => {
    const { ref } = (await store.offload(ws, big)) as { ref: ValueRef };
    const other = await freshStore();
    await expect(other.resolve(randomUUID(), ref)).rejects.toMatchObject({ code: 'not_found' });
    expect(await other.bytesOf(randomUUID(), ref.sha256)).toBeUndefined();
    expect(await other.bytesOf(ws, '../../etc')).toBeUndefined();
  });

  it('refuses a stored value whose bytes do not match its digest', async () => {
    const value = { tampered: 't'.repeat(Limits.inlineValueBytes) };
    const encoded = encodeValue(value);
    const os = await new Objm(nc).open(valuesBucketName(ns));
    await os.putBlob({ name: `${ws}.${encoded.sha256}` }, new TextEncoder().encode('"something else"'));
    const error = await (await freshStore()).resolve(ws, encoded.ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowstackError);
    expect((error as FlowstackError).code).toBe('internal');
  });

  it('answers too_large above maxValueBytes without storing anything', async () => {
    const huge = 'h'.repeat(Limits.maxValueBytes);
    expect(await store.offload(ws, huge)).toEqual({ kind: 'too_large', size: Limits.maxValueBytes + 2 });
  });

  it('keeps values with no age limit (they belong to the audit log)', async () => {
    const info = await (await jetstreamManager(nc)).streams.info(valuesStreamName(ns));
    expect(info.config.max_age).toBe(0);
    expect(info.config.max_bytes).toBe(-1);
  });
});
