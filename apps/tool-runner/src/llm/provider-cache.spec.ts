import type { LlmProviderName } from '@flowstack/contracts';
import { createLlmProvider } from './llm-provider.factory';
import { ProviderCache } from './provider-cache';
import type { ProviderClientOptions } from './provider-call';

describe('the provider cache', () => {
  const built: Array<[LlmProviderName, ProviderClientOptions]> = [];
  const counting = (provider: LlmProviderName, options: ProviderClientOptions) => {
    built.push([provider, options]);
    return createLlmProvider(provider, options);
  };
  beforeEach(() => (built.length = 0));

  it('builds one provider per (provider, base URL, key) and hands it out again', () => {
    const cache = new ProviderCache(8, counting);
    const a = cache.get('openai', { apiKey: 'sk-a', baseUrl: 'http://127.0.0.1:1/v1' });
    expect(cache.get('openai', { apiKey: 'sk-a', baseUrl: 'http://127.0.0.1:1/v1' })).toBe(a);
    expect(cache.get('openai', { apiKey: 'sk-b', baseUrl: 'http://127.0.0.1:1/v1' })).not.toBe(a);
    expect(cache.get('openai', { apiKey: 'sk-a', baseUrl: 'http://127.0.0.1:2/v1' })).not.toBe(a);
    expect(cache.get('glm', { apiKey: 'sk-a', baseUrl: 'http://127.0.0.1:1/v1' })).not.toBe(a);
    expect(cache.get('openai', { apiKey: 'sk-a', baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 5 })).not.toBe(a);
    expect(built).toHaveLength(5);
  });

  it('drops the least recently used provider past its capacity', () => {
    const cache = new ProviderCache(2, counting);
    const one = cache.get('openai', { apiKey: 'k1' });
    cache.get('openai', { apiKey: 'k2' });
    expect(cache.get('openai', { apiKey: 'k1' })).toBe(one); // k1 is now the most recent
    cache.get('openai', { apiKey: 'k3' }); // drops k2
    expect(cache.size).toBe(2);
    expect(cache.get('openai', { apiKey: 'k1' })).toBe(one);
    cache.get('openai', { apiKey: 'k2' });
    expect(built.map(([, o]) => o.apiKey)).toEqual(['k1', 'k2', 'k3', 'k2']);
  });

  it('keeps no refused configuration, and no key in the clear', () => {
    const cache = new ProviderCache(8, counting);
    expect(() => cache.get('openai', {})).toThrow(/needs an API key/);
    expect(() => cache.get('openai', {})).toThrow(/needs an API key/);
    expect(cache.size).toBe(0);
    cache.get('anthropic', { apiKey: 'sk-secret-value' });
    expect(JSON.stringify([...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()])).not.toContain(
      'sk-secret-value',
    );
  });
});
