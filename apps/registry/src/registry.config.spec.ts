import { loadRegistryConfig } from './registry.config';

describe('loadRegistryConfig', () => {
  it('caches 1000 workflow versions by default, and as many as VERSION_CACHE_SIZE says', () => {
    expect(loadRegistryConfig({}).versionCacheSize).toBe(1000);
    expect(loadRegistryConfig({ VERSION_CACHE_SIZE: '50' }).versionCacheSize).toBe(50);
    expect(loadRegistryConfig({ VERSION_CACHE_SIZE: '0' }).versionCacheSize).toBe(0);
  });

  it.each(['-1', 'lots', '1.5'])('refuses VERSION_CACHE_SIZE=%s naming the variable', (raw) => {
    expect(() => loadRegistryConfig({ VERSION_CACHE_SIZE: raw })).toThrow(/VERSION_CACHE_SIZE/);
  });
});
