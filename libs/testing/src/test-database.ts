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

/** Creates an empty database with a unique name for one test file. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `fs_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Pool({ connectionString: ADMIN_URL, max: 1 });
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const pool = new Pool({ connectionString: ADMIN_URL, max: 1 });
      try {
        // FORCE ends sessions a failed test left open, so a red test never leaks its database.
        await pool.query(`drop database if exists ${name} with (force)`);
      } finally {
        await pool.end();
      }
    },
  };
}
