import { Pool, type PoolConfig } from 'pg';
import { FlowstackError } from '@flowstack/contracts';

/** Redacts the password of a connection URL for messages and logs. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/**
 * Opens a pool and proves it works with one query, so a service that cannot reach Postgres stops
 * at start-up with a message saying how to fix it. A missing database is created when the server
 * is reachable (the first `npm start` on a fresh machine needs nothing else).
 */
export async function connectPostgres(url: string, options: PoolConfig = {}): Promise<Pool> {
  const pool = new Pool({ connectionString: url, max: 10, ...options });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  try {
    await pool.query('select 1');
    return pool;
  } catch (e) {
    await pool.end().catch(() => undefined);
    const code = (e as { code?: string }).code;
    if (code === '3D000') {
      await createDatabase(url);
      return connectPostgres(url, options);
    }
    throw new FlowstackError(
      'unavailable',
      `cannot reach Postgres at ${redactUrl(url)} (${e instanceof Error ? e.message : String(e)}). ` +
        'Start PostgreSQL 15+ (e.g. `pg_ctlcluster 15 main start`) or set DATABASE_URL.',
    );
  }
}

/** Creates the database named in `url` through the server's `postgres` database. */
export async function createDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const pool = new Pool({ connectionString: admin.toString(), max: 1 });
  try {
    await pool.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (e) {
    if ((e as { code?: string }).code !== '42P04') throw e; // already exists: a concurrent start won
  } finally {
    await pool.end();
  }
}
