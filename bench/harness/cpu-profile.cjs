// Preloaded into a service (NODE_OPTIONS=--require) by `npm run bench -- --profile`: records a CPU
// profile from start to SIGTERM and writes it to $FLOWSTACK_PROFILE_DIR. Node's own --cpu-prof
// writes only on a normal exit, and NestJS re-raises SIGTERM after its shutdown hooks, so the
// process dies by the signal and --cpu-prof would write nothing. Plain CommonJS: it runs before
// any TypeScript loader.
'use strict';
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.FLOWSTACK_PROFILE_DIR;
const name = process.env.FLOWSTACK_PROFILE_NAME || 'service';
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  const write = () => {
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  // Registered before Nest's handler, so it runs first; the inspector answers synchronously.
  process.once('SIGTERM', write);
  process.once('SIGINT', write);
}
