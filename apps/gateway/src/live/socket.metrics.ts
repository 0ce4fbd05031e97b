import { Gauge } from 'prom-client';
import { metricsRegistry } from '@flowstack/service-kit';

/** `flowstack_websocket_connections`: live sockets open on this gateway process right now (authenticated or not yet). */
export const openSockets = new Gauge({
  name: 'flowstack_websocket_connections',
  help: 'WebSocket connections open on this gateway process',
  registers: [metricsRegistry],
});
