/**
 * `npm run projections:rebuild`: truncates the execution history projection and replays the global
 * event log from position 0 in batches of `HISTORY_BATCH_SIZE`. Online: running orchestrators keep
 * serving (lists are empty, then fill up, while it runs) and their projection loops wait for it.
 */
import { Pool } from 'pg';
import { loadOrchestratorConfig } from '../orchestrator.config';
import { migrateHistorySchema } from './history.migration';
import { HistoryProjection } from './history.projection';

async function main(): Promise<void> {
  const config = loadOrchestratorConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  try {
    await migrateHistorySchema(pool);
    const started = Date.now();
    const events = await new HistoryProjection({ pool, batchSize: config.historyBatchSize }).rebuild();
    const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM orchestrator.execution_history');
    console.log(`execution history rebuilt: ${events} event(s) read, ${rows[0].n} execution(s), ${Date.now() - started} ms`);
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  console.error(`projections:rebuild failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
