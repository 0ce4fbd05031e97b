import { Counter, register } from 'prom-client';

/**
 * `flowstack_payload_too_large_total{what}`: RPC messages too big for the bus. `reply`: an answer
 * replaced by `payload_too_large` before `respond`; `request`: a request refused before it was
 * sent. On prom-client's default registry, the process's one (service-kit's `metricsRegistry`;
 * messaging may not depend on service-kit), so the service's `/metrics` shows it.
 */
const payloadTooLarge = new Counter({
  name: 'flowstack_payload_too_large_total',
  help: 'RPC replies replaced and requests refused because they exceed what one bus message carries',
  labelNames: ['what'] as const,
  registers: [register],
});
for (const what of ['reply', 'request']) payloadTooLarge.inc({ what }, 0);

/** Pre-bound children: the increment is all the work done where a payload is refused. */
export const rpcPayloadTooLarge = {
  reply: payloadTooLarge.labels('reply'),
  request: payloadTooLarge.labels('request'),
} as const;
