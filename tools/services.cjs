// The platform's services, in start order, and how to run one as its own process. Shared by
// `npm start`, the end-to-end tests and the benchmark so all three run the same thing.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SERVICES = ['identity', 'registry', 'orchestrator', 'tool-runner', 'scheduler', 'billing', 'gateway'];

/** argv to start one service with the repo's Node 24 and on-the-fly TypeScript (swc). */
function serviceCommand(name) {
  return {
    command: process.execPath,
    args: ['--enable-source-maps', '-r', '@swc-node/register', path.join(ROOT, 'apps', name, 'src', 'main.ts')],
    cwd: ROOT,
  };
}

module.exports = { ROOT, SERVICES, serviceCommand };
