// Prints the example nats-server configuration (one user per service, permissions from
// libs/messaging/src/bus-permissions.ts) for a namespace, by default none (production):
//   node -r @swc-node/register tools/render-nats-config.ts [--namespace <FLOWSTACK_NS>] > deploy/nats/nats-server.conf
import { namespaceOf } from '@flowstack/contracts';
import { exampleNatsServerConfig } from '@flowstack/messaging';

const at = process.argv.indexOf('--namespace');
process.stdout.write(exampleNatsServerConfig(namespaceOf(at > 0 ? (process.argv[at + 1] ?? '') : '')));
