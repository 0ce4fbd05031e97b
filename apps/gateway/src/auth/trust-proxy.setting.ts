/**
 * Express's `trust proxy` from `GATEWAY_TRUST_PROXY`, which decides whether `req.ip` (the address
 * login and register are throttled by) believes `X-Forwarded-For`. Off by default: a client could
 * otherwise name any address and dodge every per-address limit. `true` trusts every hop (only
 * behind a proxy that overwrites the header), a number trusts that many hops, anything else is
 * Express's list of trusted proxy addresses or subnets (`loopback, 10.0.0.0/8`).
 */
export function trustProxySetting(env: NodeJS.ProcessEnv = process.env): boolean | number | string {
  const raw = (env.GATEWAY_TRUST_PROXY ?? '').trim();
  if (raw === '' || /^(false|0|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}
