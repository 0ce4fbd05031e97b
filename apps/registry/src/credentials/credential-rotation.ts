import type { Pool } from 'pg';
import { needsReseal, reseal, type Keyring } from '@flowstack/vault';

/** What one rotation run did. */
export interface RotationReport {
  resealed: number;
  /** Credentials sealed under a key this keyring does not have (left as they are, named by id). */
  unopenable: string[];
  batches: number;
}

interface Row {
  id: string;
  workspace_id: string;
  sealed_value: string;
}

/**
 * Re-seals every live credential not sealed under the keyring's current version, `batchSize`
 * rows per transaction, while the registry keeps serving: rows are locked `FOR UPDATE SKIP
 * LOCKED` (a rotation never waits on, nor blocks, a credential being edited; a skipped row is
 * picked up by a later batch), and each update re-checks the old sealed value, so a value rotated
 * by an admin meanwhile is never overwritten. Values sealed under either key open throughout (the
 * previous key stays in `FLOWSTACK_MASTER_KEYS_PREVIOUS` until this reports 0 left).
 */
export async function resealCredentials(pool: Pool, keyring: Keyring, batchSize: number): Promise<RotationReport> {
  const report: RotationReport = { resealed: 0, unopenable: [], batches: 0 };
  const skip = new Set<string>();
  for (;;) {
    const client = await pool.connect();
    let done = false;
    try {
      await client.query('begin');
      const { rows } = await client.query<Row>(
        `select id, workspace_id, sealed_value from registry.credentials
          where deleted_at is null and key_version <> $1 and not (id = any($2::uuid[]))
          order by id limit $3 for update skip locked`,
        [keyring.currentVersion, [...skip], batchSize],
      );
      done = rows.length === 0;
      for (const row of rows) {
        if (!needsReseal(keyring, row.sealed_value)) continue;
        let next: string;
        try {
          next = reseal(keyring, { workspaceId: row.workspace_id, credentialId: row.id }, row.sealed_value);
        } catch {
          skip.add(row.id);
          report.unopenable.push(row.id);
          continue;
        }
        const updated = await client.query(
          `update registry.credentials set sealed_value = $1, key_version = $2
            where id = $3 and sealed_value = $4`,
          [next, keyring.currentVersion, row.id, row.sealed_value],
        );
        report.resealed += updated.rowCount ?? 0;
      }
      await client.query('commit');
      if (!done) report.batches += 1;
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    if (done) {
      // Rows another transaction held locked were skipped: look again until none is left.
      const left = await pool.query<{ n: string }>(
        `select count(*) as n from registry.credentials where deleted_at is null and key_version <> $1 and not (id = any($2::uuid[]))`,
        [keyring.currentVersion, [...skip]],
      );
      if (Number(left.rows[0].n) === 0) return report;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
