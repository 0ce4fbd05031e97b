import { blockedLiteralHost, isPublicAddress, publicOnlyLookup } from '@flowstack/service-kit';
import { NodeFailure } from '../work/node-failure';

/** The address rule itself lives in `@flowstack/service-kit` (the scheduler's notifications use it too). */
export { isPublicAddress };

const refused = (host: string, address: string): NodeFailure =>
  new NodeFailure(
    'address_not_allowed',
    `refusing to call ${host} (${address}): private, loopback and link-local addresses are blocked ` +
      '(set TOOL_HTTP_ALLOW_PRIVATE=true to allow them in a trusted deployment)',
  );

/** Checks a URL whose host is an IP literal; the socket never asks DNS for those. */
export function assertLiteralHostAllowed(url: URL): void {
  const blocked = blockedLiteralHost(url);
  if (blocked) throw refused(url.hostname, blocked);
}

/**
 * A DNS lookup for the HTTP agent that refuses non-public addresses at connect time, so a name
 * that resolves differently between a check and the connection (DNS rebinding) cannot get through.
 */
export const guardedLookup = publicOnlyLookup(refused);
