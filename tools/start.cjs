// `npm start`: checks Postgres and NATS, then runs every service as its own process with its name
// before each log line. Each service applies its own migrations at start-up. A service that
// crashes is named and restarted with backoff while the others keep running; Ctrl-C stops all.
const { preflight } = require('./preflight.cjs');
const { devJwtSecret } = require('./dev-jwt-secret.cjs');
const { devMasterKey } = require('./dev-master-key.cjs');
const { ROOT, SERVICES, serviceCommand, portPlan } = require('./services.cjs');
const { supervise } = require('./supervisor.cjs');
const { ensureWebBuild } = require('./web-build.cjs');

/** `--replicas N` (default 1) and `--port-base P` (default GATEWAY_PORT or 8080). */
function parseArgs(argv) {
  const out = { replicas: 1, base: Number(process.env.GATEWAY_PORT || 8080) };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[i + 1];
    if (flag === '--replicas' || flag === '--port-base') {
      if (inline === undefined) i++;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || (flag === '--port-base' && n > 65_000)) {
        console.error(`${flag} needs a positive integer, got "${value}"`);
        process.exit(2);
      }
      if (flag === '--replicas') out.replicas = n;
      else out.base = n;
    } else {
      console.error(`unknown option "${argv[i]}" (npm start -- [--replicas N] [--port-base PORT])`);
      process.exit(2);
    }
  }
  return out;
}

async function main() {
  const { replicas, base } = parseArgs(process.argv.slice(2));
  const problems = await preflight();
  if (problems.length) {
    for (const p of problems) console.error(`✖ ${p}`);
    console.error('\nFlowstack did not start. Fix the above and run `npm start` again.');
    process.exit(1);
  }
  // The gateway serves the web app's build at `/`: build it when missing or older than its sources.
  if (ensureWebBuild()) console.log('Built the web app (apps/web/dist)');
  const plan = portPlan(base, replicas);
  const gateways = plan.filter((p) => p.service === 'gateway').map((p) => p.port);
  const port = gateways[0];
  // Outside production, a per-install random key rather than none (identity refuses to start
  // without one unless NATS is on loopback); production must set JWT_SECRET itself.
  const production = process.env.NODE_ENV === 'production';
  const env = process.env.JWT_SECRET || production ? {} : { JWT_SECRET: devJwtSecret(ROOT) };
  // Likewise the credential master key (the registry seals with it, the tool-runner opens).
  if (!process.env.FLOWSTACK_MASTER_KEY && !production) env.FLOWSTACK_MASTER_KEY = devMasterKey(ROOT);
  console.log(
    `Starting ${SERVICES.join(', ')}${replicas > 1 ? ` (${replicas} replicas of each)` : ''}; ` +
      `the web app will open on http://127.0.0.1:${port}/ and the API answer on http://127.0.0.1:${port}/api/v1` +
      (replicas > 1 ? ` (gateways on ${gateways.join(', ')})` : '') +
      `\nHealth and metrics: ${plan
        .filter((p) => p.service !== 'gateway')
        .map((p) => `${p.name} :${p.port}`)
        .join(', ')} (/health/readiness, /metrics)\n`,
  );
  supervise(
    plan.map(({ name, service, env: ports }) => {
      const { command, args, cwd } = serviceCommand(service);
      return { name, command, args, cwd, env: { ...env, ...ports } };
    }),
    // Above the services' own SHUTDOWN_TIMEOUT_MS (25 s), so they exit on their own.
    { stopTimeoutMs: 30_000 },
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
