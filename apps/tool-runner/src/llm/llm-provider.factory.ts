import type { LlmProviderName } from '@flowstack/contracts';
import { NodeFailure } from '../work/node-failure';
import { AnthropicProvider } from './anthropic.provider';
import type { LlmProvider } from './llm.types';
import { OpenAiProvider } from './openai.provider';
import type { ProviderClientOptions } from './provider-call';

/**
 * Thrown before any call: `invalid_config` for a provider the platform does not know, a bad base
 * URL or an `openai_compatible` agent without one; `credential_missing` for a vendor that needs an
 * API key and got none (keys come only from the vault: the SDKs' environment variables are never read).
 */
export class ProviderConfigError extends NodeFailure {
  constructor(message: string, code: 'invalid_config' | 'credential_missing' = 'invalid_config') {
    super(code, message, false);
    this.name = 'ProviderConfigError';
  }
}

/**
 * The provider for an agent's `provider` name. `baseUrl` is honoured for every provider; it is
 * required for `openai_compatible`, and `glm` defaults to Zhipu's endpoint. `apiKey` is required
 * except for `openai_compatible` (local servers often need none). One client per call
 * site: callers that reuse a (provider, baseUrl, key) should keep the instance.
 */
export function createLlmProvider(provider: LlmProviderName, options: ProviderClientOptions): LlmProvider {
  if (options.baseUrl !== undefined) assertHttpUrl(options.baseUrl);
  if (provider !== 'openai_compatible' && !options.apiKey) {
    throw new ProviderConfigError(`provider ${provider} needs an API key and the agent has no credential`, 'credential_missing');
  }
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
