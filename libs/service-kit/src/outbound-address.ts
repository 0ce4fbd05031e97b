import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** 2000::/3, the only IPv6 block IANA hands out as global unicast. */
const GLOBAL_UNICAST_V6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];

/**
 * True for addresses a shared platform may call out to (http tools, run notifications): public
 * unicast only.
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

/** The non-public address of a URL whose host is an IP literal (the socket never asks DNS for those), if any. */
export function blockedLiteralHost(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(host) && !isPublicAddress(host) ? host : undefined;
}

/**
 * A DNS lookup for an HTTP agent that refuses non-public addresses at connect time, so a name that
 * resolves differently between a check and the connection (DNS rebinding) cannot get through.
 * `refused` builds the error the connection fails with.
 */
export const publicOnlyLookup =
  (refused: (host: string, address: string) => Error): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const blocked = addresses.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(refused(hostname, blocked.address), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      callback(null, first.address, first.family);
    });
  };
