import type { LlmProviderName } from '@flowstack/contracts';
import { NodeFailure } from '../work/node-failure';
import { AnthropicProvider } from './anthropic.provider';
import type { LlmProvider } from './llm.types';
import { OpenAiProvider } from './openai.provider';
import type { ProviderClientOptions } from './provider-call';

/** Thrown for a provider the platform does not know or an `openai_compatible` agent without a base URL. */
export class ProviderConfigError extends NodeFailure {
  constructor(message: string) {
    super('invalid_config', message, false);
    this.name = 'ProviderConfigError';
  }
}

/**
 * The provider for an agent's `provider` name. `baseUrl` is honoured for every provider; it is
 * required for `openai_compatible`, and `glm` defaults to Zhipu's endpoint. One client per call
 * site: callers that reuse a (provider, baseUrl, key) should keep the instance.
 */
export function createLlmProvider(provider: LlmProviderName, options: ProviderClientOptions): LlmProvider {
  if (options.baseUrl !== undefined) assertHttpUrl(options.baseUrl);
  switch (provider) {
    case 'anthropic':
      return new AnthropicProvider(options);
    case 'openai':
    case 'glm':
      return new OpenAiProvider(provider, options);
    case 'openai_compatible':
      if (!options.baseUrl) throw new ProviderConfigError('provider openai_compatible needs a baseUrl');
      return new OpenAiProvider(provider, options);
    default: {
      const unknown: never = provider;
      throw new ProviderConfigError(`unknown provider "${String(unknown)}"`);
    }
  }
}

function assertHttpUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderConfigError(`baseUrl "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ProviderConfigError(`baseUrl must be http or https, not ${parsed.protocol}`);
  }
}
