// Checks that Postgres and NATS (with JetStream) answer before anything starts, and says how to
// start whichever does not, instead of five services printing five stack traces.
const { Client } = require('pg');
const { connect } = require('@nats-io/transport-node');
const { jetstreamManager } = require('@nats-io/jetstream');

const redact = (url) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

async function checkPostgres(databaseUrl) {
  const admin = new URL(databaseUrl);
  const dbName = decodeURIComponent(admin.pathname.slice(1)) || 'flowstack';
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (e) {
    return (
      `Postgres is not reachable at ${redact(databaseUrl)} (${e.message}).\n` +
      '  Start it, e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start` on Debian,\n' +
      '  `brew services start postgresql@15` on macOS, or point DATABASE_URL at a running server.'
    );
  }
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [dbName]);
    if (rowCount === 0) await client.query(`create database "${dbName.replace(/"/g, '""')}"`);
  } catch (e) {
    if (e.code !== '42P04') return `Postgres answered but database "${dbName}" could not be created: ${e.message}`;
  } finally {
    await client.end();
  }
  return null;
}

async function checkNats(natsUrl) {
  let nc;
  try {
    nc = await connect({ servers: natsUrl, timeout: 3000, maxReconnectAttempts: 0 });
  } catch (e) {
    return (
      `NATS is not reachable at ${natsUrl} (${e.message}).\n` +
      '  Start it with JetStream enabled, e.g. `nats-server -js -a 127.0.0.1 -p 4222 -sd /var/lib/nats-server`,\n' +
      '  or point NATS_URL at a running server.'
    );
  }
  try {
    await (await jetstreamManager(nc)).getAccountInfo();
    return null;
  } catch (e) {
    return `NATS at ${natsUrl} answered but JetStream is not enabled (${e.message}). Restart nats-server with -js.`;
  } finally {
    await nc.close();
  }
}

async function preflight(env = process.env) {
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flowstack';
  const natsUrl = env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const problems = (await Promise.all([checkPostgres(databaseUrl), checkNats(natsUrl)])).filter(Boolean);
  return problems;
}

module.exports = { preflight };

if (require.main === module) {
  preflight().then((problems) => {
    for (const p of problems) console.error(`✖ ${p}`);
    process.exit(problems.length ? 1 : 0);
  });
}
