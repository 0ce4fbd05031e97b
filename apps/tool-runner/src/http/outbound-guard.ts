import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NodeFailure } from '../work/node-failure';

/** 2000::/3, the only IPv6 block IANA hands out as global unicast. */
const GLOBAL_UNICAST_V6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];

/**
 * True for addresses a tool may reach from a shared platform: public unicast only.
 *
 * The check runs on the address as the socket will use it, so every spelling of one address
 * gets one answer: IPv4-mapped IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`) is turned back into
 * IPv4 by `ipaddr.process`; every other IPv6 address must lie in 2000::/3 and be plain unicast
 * there. That refuses, besides loopback, link-local, unique-local and multicast, all the forms
 * that embed an IPv4 address a gateway or the kernel may translate: IPv4-compatible `::a.b.c.d`
 * (WHATWG URL writes `[::127.0.0.1]` as `[::7f00:1]`, which ipaddr.js alone calls unicast),
 * SIIT `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16` and
 * Teredo `2001::/32`, whatever IPv4 they carry. Decimal, octal and hex IPv4 hosts
 * (`2130706433`, `0x7f.1`) arrive here already normalized by WHATWG URL to dotted quads.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
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
