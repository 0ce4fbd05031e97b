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

/** Ports one replica of the platform takes: the gateway's, then one ops port per other service. */
const PORT_STRIDE = 10;

/**
 * The ports of `npm start`, all derived from one base (the gateway's port, default 8080) so that
 * two platforms run side by side with different bases: replica r's gateway on base + 10 r, and
 * every other service's ops listener (`METRICS_PORT`: /metrics and /health/*) on base + 10 r + 1,
 * + 2, ... in `SERVICES` order without the gateway (identity 8081, registry 8082, orchestrator
 * 8083, tool-runner 8084, scheduler 8085, billing 8086; replica 2: gateway 8090, identity 8091 ...).
 * @param {number} base
 * @param {number} replicas
 * @returns {{ name: string, service: string, replica: number, env: Record<string, string>, port: number }[]}
 */
function portPlan(base, replicas = 1) {
  const others = SERVICES.filter((s) => s !== 'gateway');
  const plan = [];
  for (let r = 0; r < replicas; r++) {
    for (const service of SERVICES) {
      const name = replicas > 1 ? `${service}-${r + 1}` : service;
      const offset = service === 'gateway' ? 0 : 1 + others.indexOf(service);
      const port = base + PORT_STRIDE * r + offset;
      const env = service === 'gateway' ? { GATEWAY_PORT: String(port), METRICS_PORT: '0' } : { METRICS_PORT: String(port) };
      plan.push({ name, service, replica: r, env, port });
    }
  }
  return plan;
}

module.exports = { ROOT, SERVICES, serviceCommand, portPlan, PORT_STRIDE };
