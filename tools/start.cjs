// `npm start`: checks Postgres and NATS, then runs every service as its own process with its name
// before each log line. Each service applies its own migrations at start-up. Ctrl-C stops all.
const { concurrently } = require('concurrently');
const { preflight } = require('./preflight.cjs');
const { SERVICES, serviceCommand } = require('./services.cjs');

const COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'white', 'red'];

async function main() {
  const problems = await preflight();
  if (problems.length) {
    for (const p of problems) console.error(`✖ ${p}`);
    console.error('\nFlowstack did not start. Fix the above and run `npm start` again.');
    process.exit(1);
  }
  const port = process.env.GATEWAY_PORT ?? '8080';
  console.log(`Starting ${SERVICES.join(', ')}; the API will answer on http://127.0.0.1:${port}/api/v1\n`);
  const { result } = concurrently(
    SERVICES.map((name, i) => {
      const { command, args } = serviceCommand(name);
      return {
        name,
        prefixColor: COLORS[i % COLORS.length],
        command: [command, ...args].map((a) => JSON.stringify(a)).join(' '),
        env: { FORCE_COLOR: '1' },
      };
    }),
    { prefix: '{name}', padPrefix: true, killOthersOn: ['failure'], restartTries: 0 },
  );
  result.then(
    () => process.exit(0),
    () => process.exit(1),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
