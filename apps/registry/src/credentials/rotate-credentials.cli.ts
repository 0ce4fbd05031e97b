/**
 * `npm run credentials:rotate`: re-seals every credential under the current master key
 * (`FLOWSTACK_MASTER_KEY`), opening old values with `FLOWSTACK_MASTER_KEYS_PREVIOUS`. Online: the
 * registry keeps running; batches of `CREDENTIAL_ROTATION_BATCH` rows per transaction.
 */
import { Pool } from 'pg';
import { loadRegistryConfig } from '../registry.config';
import { resealCredentials } from './credential-rotation';

async function main(): Promise<void> {
  const config = loadRegistryConfig();
  if (!config.keyring) throw new Error('FLOWSTACK_MASTER_KEY is not set');
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  try {
    const report = await resealCredentials(pool, config.keyring, config.credentialRotationBatch);
    console.log(
      `re-sealed ${report.resealed} credential(s) under key v${config.keyring.currentVersion} in ${report.batches} batch(es)` +
        (report.unopenable.length
          ? `; ${report.unopenable.length} could not be opened with the given keys: ${report.unopenable.join(', ')}`
          : ''),
    );
    if (report.unopenable.length) process.exitCode = 2;
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  console.error(`credentials:rotate failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
