import { loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig: live socket settings', () => {
  it('gives a socket without a token 5 s to authenticate by default', () => {
    expect(loadGatewayConfig({}).wsAuthTimeoutMs).toBe(5_000);
  });

  it('reads GATEWAY_WS_AUTH_TIMEOUT_MS and refuses one that is not a positive integer', () => {
    expect(loadGatewayConfig({ GATEWAY_WS_AUTH_TIMEOUT_MS: '250' }).wsAuthTimeoutMs).toBe(250);
    expect(() => loadGatewayConfig({ GATEWAY_WS_AUTH_TIMEOUT_MS: '0' })).toThrow('GATEWAY_WS_AUTH_TIMEOUT_MS');
  });
});
