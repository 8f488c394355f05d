import { isProviderUsable, type ProviderSettings } from '@switchyard/config';
import { AnthropicAdapter } from './anthropic/anthropic-adapter';
import { OpenAIAdapter } from './openai/openai-adapter';
import type { ProviderAdapter } from './types';

/** One adapter per usable provider in the settings, by provider name. */
export function createAdapters(
  providers: Record<string, ProviderSettings>,
): Map<string, ProviderAdapter> {
  const adapters = new Map<string, ProviderAdapter>();
  for (const provider of Object.values(providers)) {
    if (!isProviderUsable(provider)) continue;
    const common = { name: provider.name, apiKey: provider.apiKey, baseUrl: provider.baseUrl };
    adapters.set(
      provider.name,
      provider.type === 'anthropic'
        ? new AnthropicAdapter(common)
        : new OpenAIAdapter({
            ...common,
            dialect: provider.type === 'openai' ? 'openai' : 'compatible',
          }),
    );
  }
  return adapters;
}
