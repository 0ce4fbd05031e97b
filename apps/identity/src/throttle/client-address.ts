import ipaddr from 'ipaddr.js';

/**
 * The rate-limit key of a client address as the gateway saw it. IPv4-mapped IPv6 counts as the
 * IPv4 address; IPv6 counts per /64, the block one subscriber usually holds (per address, one host
 * could rotate through 2^64 of them). A request without an address (a caller on the bus other
 * than the gateway) shares the one `unknown` bucket: failing closed, not open.
 */
export function clientAddressKey(clientIp: string | undefined): string {
  if (!clientIp || !ipaddr.isValid(clientIp)) return 'unknown';
  const address = ipaddr.process(clientIp);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}
