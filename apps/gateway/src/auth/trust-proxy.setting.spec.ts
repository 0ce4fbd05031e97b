import { trustProxySetting } from './trust-proxy.setting';

describe('trustProxySetting (GATEWAY_TRUST_PROXY)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['loopback', 'loopback'],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('reads %j as %j (off by default: X-Forwarded-For is not believed)', (raw, expected) => {
    expect(trustProxySetting(raw === undefined ? {} : { GATEWAY_TRUST_PROXY: raw })).toBe(expected);
  });
});
