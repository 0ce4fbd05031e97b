import { CompiledQuery } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient, QueryConfig } from 'pg';

/**
 * Lets `PostgresEventStore.append(..., { client })` join the transaction a MikroORM
 * `em.transactional()` callback runs in, so an entity change and its domain event commit or roll
 * back together.
 *
 * MikroORM 7 keeps its `pg` client inside Kysely, out of reach; what it does expose is the
 * transaction-bound Kysely instance, and a raw `CompiledQuery` run there reaches `pg` as
 * `client.query(text, values)` with real bind parameters on the transaction's connection. The
 * event store only ever calls `query(text, values)` or `query({ text, values })` on the client it
 * is given, so that is all this object implements; the cast to `PoolClient` (the event store's
 * declared parameter type) is the price of not reaching into either library's internals.
 */
export function ormTransactionClient(em: EntityManager): PoolClient {
  if (!em.isInTransaction()) {
    throw new Error('ormTransactionClient needs the EntityManager of an em.transactional() callback');
  }
  const db = em.getKysely();
  const query = async (textOrConfig: string | QueryConfig<unknown[]>, values?: unknown[]) => {
    const text = typeof textOrConfig === 'string' ? textOrConfig : textOrConfig.text;
    const params: unknown[] = (typeof textOrConfig === 'string' ? values : (textOrConfig.values ?? values)) ?? [];
    const result = await db.executeQuery(CompiledQuery.raw(text, params));
    return {
      rows: result.rows,
      rowCount: result.numAffectedRows === undefined ? result.rows.length : Number(result.numAffectedRows),
    };
  };
  return { query } as unknown as PoolClient;
}
