import { assertLiteralHostAllowed, guardedLookup, isPublicAddress } from './outbound-guard';
import { NodeFailure } from '../work/node-failure';

describe('outbound guard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    'fe80::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '0.0.0.0',
    '100.64.0.1',
  ])('refuses the non-public address %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each([
    ['IPv4-mapped, dotted', '::ffff:127.0.0.1'],
    ['IPv4-mapped, hex', '::ffff:7f00:1'],
    ['IPv4-mapped, long form', '0:0:0:0:0:ffff:7f00:1'],
    ['IPv4-compatible, dotted', '::127.0.0.1'],
    ['IPv4-compatible, hex (WHATWG form of [::127.0.0.1])', '::7f00:1'],
    ['IPv4-compatible private', '::a00:1'],
    ['IPv4-compatible public (deprecated, never routed)', '::808:808'],
    ['SIIT IPv4-translated', '::ffff:0:7f00:1'],
    ['NAT64 well-known prefix, loopback', '64:ff9b::7f00:1'],
    ['NAT64 well-known prefix, metadata', '64:ff9b::a9fe:a9fe'],
    ['NAT64 local-use prefix', '64:ff9b:1::a00:1'],
    ['6to4 of loopback', '2002:7f00:1::1'],
    ['6to4 of a private address', '2002:a00:1::'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['unspecified IPv6', '::'],
    ['unspecified IPv4 network', '0.1.2.3'],
    ['broadcast', '255.255.255.255'],
    ['IPv4 multicast', '224.0.0.1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IETF protocol assignments', '192.0.0.1'],
    ['benchmarking', '198.18.0.1'],
    ['documentation', '192.0.2.1'],
    ['reserved class E', '240.0.0.1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv6 discard', '100::1'],
    ['IPv6 site-local', 'fec0::1'],
    ['outside 2000::/3', '4000::1'],
    ['not an address', 'example.com'],
  ])('refuses %s (%s)', (_form, address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses URLs whose host is a private IP literal, which never go through DNS', () => {
    expect(() => assertLiteralHostAllowed(new URL('http://169.254.169.254/latest/meta-data'))).toThrow(NodeFailure);
    expect(() => assertLiteralHostAllowed(new URL('http://[::1]:8080/'))).toThrow(/blocked/);
    expect(() => assertLiteralHostAllowed(new URL('https://example.com/'))).not.toThrow();
    expect(() => assertLiteralHostAllowed(new URL('https://8.8.8.8/'))).not.toThrow();
  });

  it.each([
    'http://[::127.0.0.1]/',
    'http://[::7f00:1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[0:0:0:0:0:ffff:127.0.0.1]/',
    'http://[64:ff9b::127.0.0.1]/',
    'http://[64:ff9b::169.254.169.254]/',
    'http://[2002:7f00:1::]/',
    'http://2130706433/',
    'http://017700000001/',
    'http://0x7f.1/',
    'http://0x7f000001./',
    'http://127.1/',
    'http://127.0.0.1./',
    'http://0/',
    'http://0.0.0.0/',
    'http://[::]/',
  ])('refuses %s once WHATWG URL has normalized its host', (raw) => {
    expect(() => assertLiteralHostAllowed(new URL(raw))).toThrow(expect.objectContaining({ code: 'address_not_allowed' }));
  });

  it('refuses names that resolve to loopback at connect time', async () => {
    const error = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).code).toBe('address_not_allowed');
  });
});
