import { createHash } from 'node:crypto';
import type { LlmProviderName } from '@flowstack/contracts';
import { createLlmProvider } from './llm-provider.factory';
import type { LlmProvider } from './llm.types';
import type { ProviderClientOptions } from './provider-call';

/** Providers kept per runner: distinct (provider, base URL, key) triples in use at once, with room. */
export const PROVIDER_CACHE_SIZE = 256;

/**
 * The LLM providers a runner has built, one per (provider, base URL, timeout, API key), least
 * recently used dropped first. The SDKs mean their clients to be reused: building one per agent
 * run (option parsing, headers, its fetch set-up) was 2.4% of the tool-runner's CPU in W10. A
 * provider holds no state of a call, so runs share one. The key enters the map only as its
 * SHA-256; a rotated credential is a new entry, and the old one ages out. A configuration the
 * factory refuses throws every time and is never kept.
 */
export class ProviderCache {
  private readonly entries = new Map<string, LlmProvider>();

  constructor(
    private readonly capacity: number = PROVIDER_CACHE_SIZE,
    private readonly create: typeof createLlmProvider = createLlmProvider,
  ) {}

  get(provider: LlmProviderName, options: ProviderClientOptions): LlmProvider {
    const key = [
      provider,
      options.baseUrl ?? '',
      options.timeoutMs ?? '',
      options.apiKey === undefined ? '' : createHash('sha256').update(options.apiKey).digest('hex'),
    ].join('\n');
    let found = this.entries.get(key);
    if (found) {
      // Most recently used last: a Map iterates in insertion order.
      this.entries.delete(key);
    } else {
      found = this.create(provider, options);
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, found);
    return found;
  }

  get size(): number {
    return this.entries.size;
  }
}
