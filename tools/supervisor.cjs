// Runs the platform's services as child processes for `npm start` and keeps them running: a
// service that exits is named and restarted with a capped exponential backoff while the others
// keep serving; Ctrl-C (SIGINT) or SIGTERM stops everything, a second Ctrl-C kills at once.
//
// Why not concurrently's own restart: its `restartDelay: 'exponential'` is 2^n seconds with no
// cap and no reset (a service that crashed 12 times in a week would wait over an hour), and its
// completion logic ends the run when every command is down at the same moment (Postgres restarting),
// which is exactly when restarts matter.
const { spawn } = require('node:child_process');
const readline = require('node:readline');

const COLORS = [36, 35, 33, 32, 34, 37, 31]; // cyan, magenta, yellow, green, blue, white, red

/**
 * @typedef {{ name: string, command: string, args?: string[], cwd?: string, env?: Record<string, string> }} Service
 * @typedef {{ initialDelayMs?: number, maxDelayMs?: number, healthyAfterMs?: number, stopTimeoutMs?: number,
 *             handleSignals?: boolean, color?: boolean, write?: (line: string) => void }} SuperviseOptions
 */

/**
 * Starts every service and restarts any that exits unasked: after `initialDelayMs`, doubling per
 * consecutive crash up to `maxDelayMs`; a run that lasted `healthyAfterMs` resets the count.
 * With `handleSignals` (the default) SIGINT/SIGTERM stop all services and exit the process.
 * @param {Service[]} services
 * @param {SuperviseOptions} options
 */
function supervise(services, options = {}) {
  const {
    initialDelayMs = 1000,
    maxDelayMs = 30_000,
    healthyAfterMs = 60_000,
    stopTimeoutMs = 10_000,
    handleSignals = true,
    color = process.stdout.isTTY === true || process.env.FORCE_COLOR === '1',
    write = (line) => process.stdout.write(`${line}\n`),
  } = options;
  const width = Math.max(...services.map((s) => s.name.length));
  let stopping = false;

  const units = services.map((service, i) => {
    const paint = (text) => (color ? `\x1b[${COLORS[i % COLORS.length]}m${text}\x1b[0m` : text);
    return { service, prefix: paint(`[${service.name.padEnd(width)}]`), child: null, timer: null, crashes: 0, startedAt: 0 };
  });
  const say = (text) => write(`${' '.repeat(width + 2)} ${text}`);

  const start = (unit) => {
    unit.timer = null;
    if (stopping) return;
    const { service } = unit;
    unit.startedAt = Date.now();
    const child = spawn(service.command, service.args ?? [], {
      cwd: service.cwd,
      env: { ...process.env, ...(color ? { FORCE_COLOR: '1' } : {}), ...service.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    unit.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => write(`${unit.prefix} ${line}`));
    }
    let ended = false;
    const onEnd = (how) => {
      if (ended) return;
      ended = true;
      unit.child = null;
      if (stopping) return;
      if (Date.now() - unit.startedAt >= healthyAfterMs) unit.crashes = 0;
      unit.crashes += 1;
      const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (unit.crashes - 1));
      say(
        `✖ ${service.name} ${how}; restarting it in ${delay / 1000} s (crash ${unit.crashes} in a row). ` +
          'The other services keep running.',
      );
      unit.timer = setTimeout(() => start(unit), delay);
    };
    child.once('exit', (code, signal) => onEnd(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    child.once('error', (e) => onEnd(`could not be started (${e.message})`));
  };

  /** Stops every service (SIGTERM, then SIGKILL after `stopTimeoutMs`) and never restarts one again. */
  const stop = (signal = 'SIGTERM') => {
    stopping = true;
    const waits = units.map((unit) => {
      if (unit.timer) clearTimeout(unit.timer);
      const child = unit.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill(signal);
      });
    });
    return Promise.all(waits).then(() => undefined);
  };

  if (handleSignals) {
    let signalled = false;
    const onSignal = (signal) => {
      if (signalled) {
        say('stopping now (second signal)');
        for (const unit of units) unit.child?.kill('SIGKILL');
        process.exit(130);
      }
      signalled = true;
      say(`${signal}: stopping every service`);
      // SIGTERM to each child: Nest's shutdown hooks drain and close on it like on SIGINT.
      void stop('SIGTERM').then(() => process.exit(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  for (const unit of units) start(unit);
  return { stop };
}

module.exports = { supervise };
