import { Pool } from 'pg';
import { randomBytes } from 'node:crypto';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  name: string;
  /** Terminates its connections and drops it. */
  drop(): Promise<void>;
}

/** A one-connection pool on the server's `postgres` database, for creating and dropping test databases. */
const adminPool = (adminUrl: string): Pool => {
  const pool = new Pool({ connectionString: adminUrl, max: 1 });
  pool.on('error', () => undefined); // an idle session ended by the server: the next query reports it
  return pool;
};

/**
 * Creates an empty database with a unique name for one test file, on the shared server or on the
 * one `adminUrl` names (a test's own cluster).
 */
export async function createTestDatabase(label = 'test', adminUrl = ADMIN_URL): Promise<TestDatabase> {
  const name = `fs_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = adminPool(adminUrl);
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const pool = adminPool(adminUrl);
      try {
        // FORCE ends sessions a failed test left open, so a red test never leaks its database.
        // It gives the sessions it ends 5 s to go; on a loaded machine one may take longer (55006,
        // "being accessed by other users"), which is no reason to fail a green file: ask again.
        for (let attempt = 1; ; attempt++) {
          try {
            await pool.query(`drop database if exists ${name} with (force)`);
            return;
          } catch (e) {
            if ((e as { code?: string }).code !== '55006' || attempt >= 3) throw e;
          }
        }
      } finally {
        await pool.end();
      }
    },
  };
}
