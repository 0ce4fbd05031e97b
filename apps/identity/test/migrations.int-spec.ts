import { Rpc, type AuthResult } from '@flowstack/contracts';
import { startIdentity, type IdentityHarness } from './identity.harness';
import { IDENTITY_MIGRATIONS } from '../src/database/identity.migrations';

let h: IdentityHarness;

beforeAll(async () => {
  h = await startIdentity({}, { boot: false });
});
afterAll(async () => {
  await h?.close();
});

const tableExists = async (name: string): Promise<boolean> =>
  (await h.sql.query<{ t: string | null }>('select to_regclass($1) as t', [name])).rows[0].t !== null;

it('with MIGRATIONS=skip leaves an empty database alone', async () => {
  await h.startReplica({ MIGRATIONS: 'skip' });
  expect(await tableExists('identity.users')).toBe(false);
});

it('migrates once when several replicas start at the same time, and they share the requests', async () => {
  await Promise.all([h.startReplica(), h.startReplica(), h.startReplica()]);
  const { rows } = await h.sql.query('select name from identity.mikro_orm_migrations');
  expect(rows).toEqual(IDENTITY_MIGRATIONS.map((m) => ({ name: m.name })));
  expect(rows.slice(0, 2)).toEqual([{ name: '0001-initial-schema' }, { name: '0002-auth-rate-limits' }]);
  expect(await tableExists('event_store.events')).toBe(true);
  const result = await h.call<AuthResult>(Rpc.identity.register, { email: 'replica@example.com', password: 'password123' });
  expect(result.workspace?.role).toBe('admin');
});

it('finds nothing to do on a restart', async () => {
  await h.startReplica();
  const { rows } = await h.sql.query('select count(*)::int as n from identity.mikro_orm_migrations');
  expect(rows[0].n).toBe(IDENTITY_MIGRATIONS.length);
});
