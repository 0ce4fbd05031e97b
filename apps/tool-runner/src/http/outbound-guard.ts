import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NodeFailure } from '../work/node-failure';

/** True for addresses a tool may reach from a shared platform: public unicast only. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // `process` turns IPv4-mapped IPv6 (::ffff:127.0.0.1) back into IPv4 so it cannot sneak past.
  return ipaddr.process(address).range() === 'unicast';
}

const refused = (host: string, address: string): NodeFailure =>
  new NodeFailure(
    'address_not_allowed',
    `refusing to call ${host} (${address}): private, loopback and link-local addresses are blocked ` +
      '(set TOOL_HTTP_ALLOW_PRIVATE=true to allow them in a trusted deployment)',
  );

/** Checks a URL whose host is an IP literal; the socket never asks DNS for those. */
export function assertLiteralHostAllowed(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !isPublicAddress(host)) throw refused(url.hostname, host);
}

/**
 * A DNS lookup for the HTTP agent that refuses non-public addresses at connect time, so a name
 * that resolves differently between a check and the connection (DNS rebinding) cannot get through.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4);
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) return callback(refused(hostname, blocked.address), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    callback(null, first.address, first.family);
  });
};
