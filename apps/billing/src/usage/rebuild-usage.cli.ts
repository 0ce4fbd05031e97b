/**
 * The billing half of `npm run projections:rebuild`: truncates the usage projection and replays
 * the global event log from the start. Online: running billing replicas keep answering (reports
 * are partial while it runs) and their projection loops wait for it.
 */
import { Pool } from 'pg';
import { loadBillingConfig } from '../billing.config';
import { migrateUsageSchema } from './usage.migration';
import { UsageProjection } from './usage.projection';

async function main(): Promise<void> {
  const config = loadBillingConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  try {
    await migrateUsageSchema(pool);
    const started = Date.now();
    const events = await new UsageProjection({ pool }).rebuild();
    const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM billing.usage_runs');
    console.log(`usage rebuilt: ${events} event(s) read, ${rows[0].n} execution(s), ${Date.now() - started} ms`);
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  console.error(`projections:rebuild (usage) failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
