import { loadMetricsConfig } from './metrics.config';

describe('loadMetricsConfig', () => {
  it('is off on loopback unless METRICS_PORT is set', () => {
    expect(loadMetricsConfig({})).toEqual({ port: 0, host: '127.0.0.1' });
    expect(loadMetricsConfig({ METRICS_PORT: '', METRICS_HOST: '' })).toEqual({ port: 0, host: '127.0.0.1' });
    expect(loadMetricsConfig({ METRICS_PORT: '0' }).port).toBe(0);
  });

  it('reads the port and the host', () => {
    expect(loadMetricsConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it.each(['-1', '65536', '94.6', 'nine', '0x10 '])('refuses METRICS_PORT=%j naming the variable', (raw) => {
    expect(() => loadMetricsConfig({ METRICS_PORT: raw })).toThrow(
      /^METRICS_PORT must be a port number \(1-65535, or 0 for off\)/,
    );
  });
});
