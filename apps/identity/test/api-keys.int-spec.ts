import { randomUUID } from 'node:crypto';
import { Rpc, type ApiKeyView, type AuthResult, type CreatedApiKeyView, type Role } from '@flowstack/contracts';
import { apiKeyHash, ensureAuthBuckets, type ApiKeyValue, type AuthBuckets } from '@flowstack/messaging';
import { asUser, startIdentity, type IdentityHarness } from './identity.harness';

let h: IdentityHarness;
let buckets: AuthBuckets;

beforeAll(async () => {
  h = await startIdentity();
  buckets = await ensureAuthBuckets(h.nc, h.ns);
});
afterAll(async () => {
  await h?.close();
});

const person = async () => {
  const r = await h.call<AuthResult>(Rpc.identity.register, {
    email: `keys-${randomUUID().slice(0, 8)}@example.com`,
    password: 'correct horse battery',
  });
  return { id: r.user.id, own: r.workspace!.id };
};
const create = (p: { id: string; own: string }, body: Record<string, unknown>, role: Role = 'admin') =>
  h.call<CreatedApiKeyView>(Rpc.apiKeys.create, body, asUser(p.id, p.own, role));
const onFeed = async (key: string): Promise<ApiKeyValue | null> => {
  const entry = await buckets.apiKeys.get(apiKeyHash(h.config.apiKeyPepper, key));
  return entry?.operation === 'PUT' ? entry.json<ApiKeyValue>() : null;
};

/** Identity's API keys on the real Postgres and NATS: hashed at rest, on the feed, revoked off it. */
describe('API keys in identity', () => {
  it('creates a key whose keyed hash (not the key) is stored and on the feed, and revokes it off the feed', async () => {
    const ada = await person();
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await create(ada, { name: 'ci', role: 'editor', expiresAt });
    expect(created).toMatchObject({ name: 'ci', role: 'editor', createdBy: ada.id, expiresAt, revokedAt: null });
    const { rows } = await h.sql.query('select key_hash, prefix from identity.api_keys where id = $1', [created.id]);
    expect(rows[0]).toEqual({ key_hash: apiKeyHash(h.config.apiKeyPepper, created.key), prefix: created.key.slice(0, 12) });
    expect(await onFeed(created.key)).toEqual({
      keyId: created.id,
      workspaceId: ada.own,
      role: 'editor',
      createdBy: ada.id,
      expiresAt: Math.floor(Date.parse(expiresAt) / 1000),
    });

    expect(await h.call(Rpc.apiKeys.revoke, { keyId: created.id }, asUser(ada.id, ada.own, 'admin'))).toEqual({ revoked: true });
    expect(await onFeed(created.key)).toBeNull();
    const types = await h.sql.query<{ type: string }>(
      `select type from event_store.events where stream_id = $1 and type like 'ApiKey%' order by stream_position`,
      [`workspace-${ada.own}`],
    );
    expect(types.rows.map((r) => r.type)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
  });

  it('refuses a key for a non-admin, and to another workspace; lists without the key or its hash', async () => {
    const ada = await person();
    const eve = await person();
    await create(ada, { name: 'x', role: 'viewer' });
    // Eve claims to be an admin of Ada's workspace: identity reads her (absent) membership.
    await expect(
      h.call(Rpc.apiKeys.create, { name: 'x', role: 'viewer' }, asUser(eve.id, ada.own, 'admin')),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const list = await h.call<{ items: ApiKeyView[] }>(Rpc.apiKeys.list, {}, asUser(ada.id, ada.own, 'admin'));
    expect(list.items).toHaveLength(1);
    expect(Object.keys(list.items[0]).sort()).toEqual(
      ['createdAt', 'createdBy', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role'].sort(),
    );
    await expect(h.call(Rpc.apiKeys.revoke, { keyId: list.items[0].id }, asUser(eve.id, eve.own, 'admin'))).rejects.toMatchObject(
      {
        code: 'not_found',
      },
    );
  });

  it('records batched last uses, never moving a time backwards', async () => {
    const ada = await person();
    const key = await create(ada, { name: 'ci', role: 'viewer' });
    const later = '2026-12-01T12:00:00.000Z';
    expect(
      await h.call(Rpc.apiKeys.touch, {
        items: [
          { keyId: key.id, usedAt: later },
          { keyId: randomUUID(), usedAt: later },
        ],
      }),
    ).toEqual({
      updated: 1,
    });
    await h.call(Rpc.apiKeys.touch, { items: [{ keyId: key.id, usedAt: '2026-11-01T00:00:00.000Z' }] });
    const list = await h.call<{ items: ApiKeyView[] }>(Rpc.apiKeys.list, {}, asUser(ada.id, ada.own, 'admin'));
    expect(list.items[0].lastUsedAt).toBe(later);
    await expect(h.call(Rpc.apiKeys.touch, { items: [{ keyId: 'nope', usedAt: later }] })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'items[0].keyId' })],
    });
  });
});
