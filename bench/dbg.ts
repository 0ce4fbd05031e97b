import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
async function main() { const nc = await connect({ servers: 'nats://127.0.0.1:4222' }); const jsm = await jetstreamManager(nc); const names: string[] = []; for await (const s of jsm.streams.list()) names.push(s.config.name); console.log(names.filter((n) => /bench|dbg/i.test(n))); await nc.close(); }
void main();
