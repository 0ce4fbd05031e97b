import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { isPublicAddress } from '../http/outbound-guard';
import { NodeFailure } from '../work/node-failure';

/**
 * The outbound policy of http tools applied to an agent's provider `baseUrl` (the SDKs use fetch,
 * where the guarded lookup of the http tool's agent does not reach): every address the host
 * resolves to must be public unless `TOOL_HTTP_ALLOW_PRIVATE` is set. Checked right before the
 * call; a name that rebinds between this check and the SDK's own lookup is not caught (the http
 * tool's connect-time check is).
 */
export async function assertBaseUrlAllowed(baseUrl: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new NodeFailure('invalid_config', `the agent's baseUrl "${baseUrl}" is not a URL`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (e) {
      throw new NodeFailure('provider_unavailable', `the provider host ${host} does not resolve: ${(e as Error).message}`, true);
    }
  }
  const blocked = addresses.find((a) => !isPublicAddress(a));
  if (blocked !== undefined) {
    throw new NodeFailure(
      'address_not_allowed',
      `refusing to call the provider at ${url.host} (${blocked}): private, loopback and link-local addresses are blocked ` +
        '(set TOOL_HTTP_ALLOW_PRIVATE=true to allow them in a trusted deployment)',
    );
  }
}
