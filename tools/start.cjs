// `npm start`: checks Postgres and NATS, then runs every service as its own process with its name
// before each log line. Each service applies its own migrations at start-up. A service that
// crashes is named and restarted with backoff while the others keep running; Ctrl-C stops all.
const { preflight } = require('./preflight.cjs');
const { devJwtSecret } = require('./dev-jwt-secret.cjs');
const { devMasterKey } = require('./dev-master-key.cjs');
const { ROOT, SERVICES, serviceCommand } = require('./services.cjs');
const { supervise } = require('./supervisor.cjs');
const { ensureWebBuild } = require('./web-build.cjs');

async function main() {
  const problems = await preflight();
  if (problems.length) {
    for (const p of problems) console.error(`✖ ${p}`);
    console.error('\nFlowstack did not start. Fix the above and run `npm start` again.');
    process.exit(1);
  }
  // The gateway serves the web app's build at `/`: build it when missing or older than its sources.
  if (ensureWebBuild()) console.log('Built the web app (apps/web/dist)');
  const port = process.env.GATEWAY_PORT ?? '8080';
  // Outside production, a per-install random key rather than none (identity refuses to start
  // without one unless NATS is on loopback); production must set JWT_SECRET itself.
  const production = process.env.NODE_ENV === 'production';
  const env = process.env.JWT_SECRET || production ? {} : { JWT_SECRET: devJwtSecret(ROOT) };
  // Likewise the credential master key (the registry seals with it, the tool-runner opens).
  if (!process.env.FLOWSTACK_MASTER_KEY && !production) env.FLOWSTACK_MASTER_KEY = devMasterKey(ROOT);
  console.log(
    `Starting ${SERVICES.join(', ')}; the web app will open on http://127.0.0.1:${port}/ and the API answer on http://127.0.0.1:${port}/api/v1\n`,
  );
  supervise(
    SERVICES.map((name) => {
      const { command, args, cwd } = serviceCommand(name);
      return { name, command, args, cwd, env };
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
