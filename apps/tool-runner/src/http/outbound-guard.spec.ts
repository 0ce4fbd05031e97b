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

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('allows the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses URLs whose host is a private IP literal, which never go through DNS', () => {
    expect(() => assertLiteralHostAllowed(new URL('http://169.254.169.254/latest/meta-data'))).toThrow(NodeFailure);
    expect(() => assertLiteralHostAllowed(new URL('http://[::1]:8080/'))).toThrow(/blocked/);
    expect(() => assertLiteralHostAllowed(new URL('https://example.com/'))).not.toThrow();
  });

  it('refuses names that resolve to loopback at connect time', async () => {
    const error = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).code).toBe('address_not_allowed');
  });
});
