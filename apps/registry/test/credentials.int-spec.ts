import { randomUUID } from 'node:crypto';
import { Rpc, type CredentialView, type Page, type SealedCredential } from '@flowstack/contracts';
import { waitFor } from '@flowstack/testing';
import { keyringFromEnv, open, seal, sealedKeyVersion } from '@flowstack/vault';
import { resealCredentials } from '../src/credentials/credential-rotation';
import { asToolRunner, inWorkspace, newMasterKey, startRegistry, type RegistryHarness } from './registry.harness';

// Credentials over the registry's subjects: the value goes in, never comes out but sealed, and
// only to the tool-runner; every change is an audit event without the value.
let h: RegistryHarness;
const workspace = randomUUID();
const admin = () => inWorkspace(workspace, 'admin');
const toolRunner = (ws = workspace) => asToolRunner(ws);
const MARKER = `sk-marker-${randomUUID()}`;

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

const create = (body: object, ctx = admin()) => h.call<CredentialView>(Rpc.registry.credentialCreate, body, ctx);

it('creates, reads and lists a credential without ever answering its value', async () => {
  const created = await create({ name: 'openai_key', kind: 'api_key', value: MARKER, description: 'prod key' });
  expect(created).toEqual({
    id: expect.any(String),
    name: 'openai_key',
    kind: 'api_key',
    description: 'prod key',
    keyVersion: 1,
    valueUpdatedAt: expect.any(String),
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });
  const got = await h.call<CredentialView>(Rpc.registry.credentialGet, { id: created.id }, inWorkspace(workspace, 'viewer'));
  expect(got).toEqual(created);
  const page = await h.call<Page<CredentialView>>(Rpc.registry.credentialList, {}, inWorkspace(workspace, 'viewer'));
  expect(page.items.map((c) => c.id)).toContain(created.id);
  expect(JSON.stringify([created, got, page])).not.toContain(MARKER);
});

it('stores the value sealed (AES-GCM, the workspace and id as associated data), not in clear', async () => {
  const created = await create({ name: 'sealed_one', kind: 'bearer_token', value: MARKER });
  const { rows } = await h.sql.query('select sealed_value, key_version from registry.credentials where id = $1', [created.id]);
  expect(rows[0].sealed_value).toMatch(/^fsv1\.1\./);
  expect(rows[0].sealed_value).not.toContain(MARKER);
  const keyring = keyringFromEnv(h.env);
  expect(JSON.parse(open(keyring, { workspaceId: workspace, credentialId: created.id }, rows[0].sealed_value))).toBe(MARKER);
  // Copied onto another credential's row, it does not open for that one.
  expect(() => open(keyring, { workspaceId: workspace, credentialId: randomUUID() }, rows[0].sealed_value)).toThrow(
    /does not open/,
  );
});

it.each([
  ['an unknown kind', { name: 'k1', kind: 'password', value: 'x' }, 'kind'],
  ['a value of the wrong shape for basic_auth', { name: 'k2', kind: 'basic_auth', value: 'user:pass' }, 'value'],
  ['basic_auth without a password', { name: 'k3', kind: 'basic_auth', value: { username: 'u' } }, 'value.password'],
  ['a header without a valid name', { name: 'k4', kind: 'header', value: { name: 'bad header', value: 'v' } }, 'value.name'],
  ['an empty api key', { name: 'k5', kind: 'api_key', value: '' }, 'value'],
  ['a name templates cannot reference', { name: 'my-key', kind: 'api_key', value: 'x' }, 'name'],
  ['a field the schema does not know', { name: 'k6', kind: 'api_key', value: 'x', workspaceId: randomUUID() }, '(body)'],
])('refuses %s with validation_failed at its path', async (_what, body, path) => {
  await expect(create(body)).rejects.toMatchObject({
    code: 'validation_failed',
    errors: expect.arrayContaining([expect.objectContaining({ path })]),
  });
});

it('answers conflict at name for a second live credential of the same name, and frees the name on delete', async () => {
  const first = await create({ name: 'dup_name', kind: 'api_key', value: 'a' });
  await expect(create({ name: 'dup_name', kind: 'api_key', value: 'b' })).rejects.toMatchObject({
    code: 'conflict',
    errors: [expect.objectContaining({ path: 'name', rule: 'duplicate' })],
  });
  // The same name in another workspace is fine.
  await create({ name: 'dup_name', kind: 'api_key', value: 'c' }, inWorkspace(randomUUID(), 'admin'));
  await h.call(Rpc.registry.credentialDelete, { id: first.id }, admin());
  await expect(h.call(Rpc.registry.credentialGet, { id: first.id }, admin())).rejects.toMatchObject({ code: 'not_found' });
  await create({ name: 'dup_name', kind: 'api_key', value: 'd' });
});

it('rotates the value (checked against the kind), renames, and records events that never hold the value', async () => {
  const created = await create({ name: 'to_rotate', kind: 'basic_auth', value: { username: 'u', password: 'first' } });
  await expect(h.call(Rpc.registry.credentialUpdate, { id: created.id, value: 'not-an-object' }, admin())).rejects.toMatchObject({
    code: 'validation_failed',
    errors: [expect.objectContaining({ path: 'value' })],
  });
  const rotated = await h.call<CredentialView>(
    Rpc.registry.credentialUpdate,
    { id: created.id, name: 'rotated', value: { username: 'u', password: MARKER } },
    admin(),
  );
  expect(rotated).toMatchObject({ name: 'rotated', kind: 'basic_auth' });
  expect(Date.parse(rotated.valueUpdatedAt)).toBeGreaterThanOrEqual(Date.parse(created.valueUpdatedAt));
  const kindChange = await h.call<CredentialView>(
    Rpc.registry.credentialUpdate,
    { id: created.id, kind: 'api_key', value: MARKER },
    admin(),
  );
  expect(kindChange.kind).toBe('api_key');
  await expect(h.call(Rpc.registry.credentialUpdate, { id: created.id, kind: 'bearer_token' }, admin())).rejects.toMatchObject({
    code: 'validation_failed',
    errors: [expect.objectContaining({ path: 'value' })],
  });
  const { rows } = await h.sql.query(
    'select type, data, metadata from event_store.events where stream_id = $1 order by stream_position',
    [`credential-${created.id}`],
  );
  expect(rows.map((r) => r.type)).toEqual(['CredentialCreated', 'CredentialRenamed', 'CredentialRotated', 'CredentialRotated']);
  const all = await h.sql.query('select data::text as d, metadata::text as m from event_store.events');
  expect(all.rows.map((r) => r.d + r.m).join('\n')).not.toContain(MARKER);
  expect(all.rows.map((r) => r.d + r.m).join('\n')).not.toContain('first');
});

it('lets only admins change credentials', async () => {
  for (const role of ['viewer', 'editor'] as const) {
    await expect(create({ name: `by_${role}`, kind: 'api_key', value: 'x' }, inWorkspace(workspace, role))).rejects.toMatchObject(
      { code: 'forbidden' },
    );
  }
});

it('hands the sealed value to the tool-runner by id and by name, which opens it with the vault', async () => {
  const created = await create({ name: 'for_runner', kind: 'mcp_headers', value: { 'x-api-key': MARKER } });
  const byId = await h.call<SealedCredential>(Rpc.registry.credentialSealed, { id: created.id }, toolRunner());
  const byName = await h.call<SealedCredential>(Rpc.registry.credentialSealed, { name: 'for_runner' }, toolRunner());
  expect(byName).toEqual(byId);
  expect(byId).toMatchObject({ id: created.id, workspaceId: workspace, name: 'for_runner', kind: 'mcp_headers' });
  const opened = open(keyringFromEnv(h.env), { workspaceId: byId.workspaceId, credentialId: byId.id }, byId.sealed);
  expect(JSON.parse(opened)).toEqual({ 'x-api-key': MARKER });
});

it('refuses the sealed value to anyone but the tool-runner, and across workspaces', async () => {
  const created = await create({ name: 'guarded', kind: 'api_key', value: MARKER });
  await expect(h.call(Rpc.registry.credentialSealed, { id: created.id }, admin())).rejects.toMatchObject({ code: 'forbidden' });
  await expect(
    h.call(Rpc.registry.credentialSealed, { id: created.id }, { ...toolRunner(), actor: { id: 'gateway', type: 'system' } }),
  ).rejects.toMatchObject({ code: 'forbidden' });
  await expect(h.call(Rpc.registry.credentialSealed, { id: created.id }, toolRunner(randomUUID()))).rejects.toMatchObject({
    code: 'not_found',
  });
  await expect(h.call(Rpc.registry.credentialSealed, { name: 'guarded' }, toolRunner(randomUUID()))).rejects.toMatchObject({
    code: 'not_found',
  });
});

it('refuses to delete a credential an agent uses, with conflict', async () => {
  const created = await create({ name: 'in_use', kind: 'api_key', value: 'x' });
  const agent = await h.call<{ id: string }>(
    Rpc.registry.agentCreate,
    { name: 'User of it', provider: 'openai', model: 'gpt-4o-mini', credentialId: created.id },
    admin(),
  );
  await expect(h.call(Rpc.registry.credentialDelete, { id: created.id }, admin())).rejects.toMatchObject({
    code: 'conflict',
    errors: [expect.objectContaining({ rule: 'credential_in_use' })],
  });
  await h.call(Rpc.registry.agentDelete, { id: agent.id }, admin());
  await h.call(Rpc.registry.credentialDelete, { id: created.id }, admin());
});

it('re-seals every credential under a new key version in batches, online; old and new values open with the new keyring', async () => {
  const ws = randomUUID();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await create({ name: `rot_${i}`, kind: 'api_key', value: `${MARKER}-${i}` }, inWorkspace(ws, 'admin'))).id);
  }
  const next = keyringFromEnv({
    FLOWSTACK_MASTER_KEY: newMasterKey(2),
    FLOWSTACK_MASTER_KEYS_PREVIOUS: h.env.FLOWSTACK_MASTER_KEY,
  });
  const report = await resealCredentials(h.sql, next, 2);
  expect(report.unopenable).toEqual([]);
  expect(report.resealed).toBeGreaterThanOrEqual(5);
  expect(report.batches).toBeGreaterThanOrEqual(3);
  const { rows } = await h.sql.query(
    'select id, sealed_value, key_version from registry.credentials where id = any($1::uuid[])',
    [ids],
  );
  for (const row of rows) {
    expect(row.key_version).toBe(2);
    expect(sealedKeyVersion(row.sealed_value)).toBe(2);
    const value = JSON.parse(open(next, { workspaceId: ws, credentialId: row.id }, row.sealed_value));
    expect(value).toBe(`${MARKER}-${ids.indexOf(row.id)}`);
  }
  // The view shows the new key version; the registry kept answering throughout.
  const view = await h.call<CredentialView>(Rpc.registry.credentialGet, { id: ids[0] }, inWorkspace(ws, 'viewer'));
  expect(view.keyVersion).toBe(2);
  // A second run finds nothing left to do.
  expect((await resealCredentials(h.sql, next, 2)).resealed).toBe(0);
});

it('does not wait on, nor overwrite, a credential an admin is rotating meanwhile', async () => {
  const ws = randomUUID();
  const busy = await create({ name: 'busy', kind: 'api_key', value: 'old' }, inWorkspace(ws, 'admin'));
  const idle = await create({ name: 'idle', kind: 'api_key', value: 'idle' }, inWorkspace(ws, 'admin'));
  const v1 = keyringFromEnv(h.env);
  const next = keyringFromEnv({
    FLOWSTACK_MASTER_KEY: newMasterKey(4),
    FLOWSTACK_MASTER_KEYS_PREVIOUS: h.env.FLOWSTACK_MASTER_KEY,
  });
  // An admin's rotation of `busy` holds its row lock (sealed under the registry's v1 key).
  const admin = await h.sql.connect();
  try {
    await admin.query('begin');
    await admin.query('select id from registry.credentials where id = $1 for update', [busy.id]);
    const rotation = resealCredentials(h.sql, next, 1);
    await waitFor(async () => {
      const { rows } = await h.sql.query('select key_version from registry.credentials where id = $1', [idle.id]);
      return rows[0].key_version === 4;
    }, 'the unlocked credential to be re-sealed while the other is locked');
    await admin.query('update registry.credentials set sealed_value = $1 where id = $2', [
      seal(v1, { workspaceId: ws, credentialId: busy.id }, JSON.stringify('new')),
      busy.id,
    ]);
    await admin.query('commit');
    await rotation;
  } finally {
    admin.release();
  }
  const { rows } = await h.sql.query('select sealed_value, key_version from registry.credentials where id = $1', [busy.id]);
  expect(rows[0].key_version).toBe(4);
  expect(JSON.parse(open(next, { workspaceId: ws, credentialId: busy.id }, rows[0].sealed_value))).toBe('new');
});

it('reports a credential sealed under a key the rotation lacks, and leaves it alone', async () => {
  const ws = randomUUID();
  const lost = await create({ name: 'lost_key', kind: 'api_key', value: 'x' }, inWorkspace(ws, 'admin'));
  // Neither current nor previous is the registry's key v1 this time.
  const unrelated = keyringFromEnv({ FLOWSTACK_MASTER_KEY: newMasterKey(3) });
  const report = await resealCredentials(h.sql, unrelated, 10);
  expect(report.unopenable).toContain(lost.id);
  const { rows } = await h.sql.query('select key_version from registry.credentials where id = $1', [lost.id]);
  expect(rows[0].key_version).not.toBe(3);
});

describe('without FLOWSTACK_MASTER_KEY (development only)', () => {
  let keyless: RegistryHarness;
  beforeAll(async () => {
    keyless = await startRegistry({ FLOWSTACK_MASTER_KEY: undefined, NODE_ENV: 'development' });
  });
  afterAll(async () => {
    await keyless?.close();
  });

  it('refuses to create or rotate credentials, naming the variable, and serves everything else', async () => {
    const ws = randomUUID();
    await expect(
      keyless.call(Rpc.registry.credentialCreate, { name: 'k', kind: 'api_key', value: 'x' }, inWorkspace(ws, 'admin')),
    ).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('FLOWSTACK_MASTER_KEY is not set') });
    const agent = await keyless.call<{ id: string }>(
      Rpc.registry.agentCreate,
      { name: 'a', provider: 'openai', model: 'm' },
      inWorkspace(ws, 'editor'),
    );
    expect(agent.id).toEqual(expect.any(String));
  });
});
