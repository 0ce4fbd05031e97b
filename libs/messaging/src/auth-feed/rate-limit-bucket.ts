import type { Namespace } from '@flowstack/contracts';

/**
 * `<ns>_RATE_LIMITS`: the KV bucket of rate-limit counters that every gateway replica shares
 * (per API key). The gateways create it and read and write it; nobody else touches it.
 */
export const rateLimitBucketName = (ns: Namespace): string =>
  `${ns.prefix ? `${ns.prefix.replace(/[^A-Za-z0-9_-]/g, '_')}_` : ''}RATE_LIMITS`;
