// Applies every schema migration of the platform once and exits: the one-shot `migrations` service
// of docker-compose.yml and the Helm chart's pre-install/pre-upgrade Job. The services then run
// with `MIGRATIONS=skip`. Each step is the very code a service runs at its own start-up (same
// advisory locks), so running this twice, or alongside a service that migrates itself, is safe.
//
//   node -r @swc-node/register tools/migrate.ts            (from the sources)
//   node dist/tools/migrate.js                             (built: the `migrate` image)
//
// Creates the database of DATABASE_URL when the server has none of that name.
import { Logger } from '@nestjs/common';
import { migrateEventStore } from '@flowstack/event-store';
import { openServiceOrm } from '@flowstack/orm';
import { connectPostgres, createLogger, loadBaseConfig, redactUrl } from '@flowstack/service-kit';
import { identityOrmSettings } from '../apps/identity/src/database/identity-orm';
import { registryOrmSettings } from '../apps/registry/src/database/registry-orm';
import { schedulerOrmSettings } from '../apps/scheduler/src/database/scheduler-orm';
import { loadSchedulerConfig } from '../apps/scheduler/src/scheduler.config';
import { migrateOrchestratorSchema } from '../apps/orchestrator/src/dead-letters/dead-letter.migration';
import { migrateBillingSchema } from '../apps/billing/src/database/billing.migration';
import { migrateUsageSchema } from '../apps/billing/src/usage/usage.migration';
import { migrateHistorySchema } from '../apps/orchestrator/src/history/history.migration';
import { TimerStore } from '../apps/orchestrator/src/timers/timer.store';
import { AdmissionStore } from '../apps/orchestrator/src/admission/admission.store';
import { TaskGateStore } from '../apps/orchestrator/src/admission/task-gate.store';

const config = loadBaseConfig('migrate');
// The migrator's own lines too (`applied ...`) go through the service logger: JSON with LOG_FORMAT=json.
const logger = createLogger(config);
Logger.overrideLogger(logger);

async function main(): Promise<void> {
  const { databaseUrl } = config;
  const started = Date.now();
  const pool = await connectPostgres(databaseUrl, { max: 2 });
  try {
    const step = async (name: string, work: () => Promise<void>): Promise<void> => {
      const t = Date.now();
      await work();
      logger.log(`${name} up to date (${Date.now() - t} ms)`);
    };
    await step('event store', () => migrateEventStore(pool));
    for (const [name, settings] of [
      ['identity', identityOrmSettings({ databaseUrl, runMigrations: true })],
      ['registry', registryOrmSettings({ databaseUrl, runMigrations: true })],
      // Its settings from defaults only: the job is given DATABASE_URL, none of SCHEDULER_*.
      ['scheduler', schedulerOrmSettings({ ...loadSchedulerConfig({ DATABASE_URL: databaseUrl }), runMigrations: true })],
    ] as const) {
      await step(name, async () => {
        const orm = await openServiceOrm(settings, pool);
        await orm.close();
      });
    }
    await step('orchestrator', () => migrateOrchestratorSchema(pool));
    await step('billing', () => migrateBillingSchema(pool));
    await step('billing usage', () => migrateUsageSchema(pool));
    await step('orchestrator history', () => migrateHistorySchema(pool));
    await step('orchestrator timers', () => new TimerStore(pool).migrate());
    await step('orchestrator admissions', () => new AdmissionStore(pool).migrate());
    await step('orchestrator task gate', () => new TaskGateStore(pool, 0).migrate());
    logger.log(`done on ${redactUrl(databaseUrl)} in ${Date.now() - started} ms`);
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  logger.error(`migrations failed: ${e instanceof Error ? e.message : String(e)}`);
  // A tick for the logger to flush.
  setTimeout(() => process.exit(1), 50);
});
