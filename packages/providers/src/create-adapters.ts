import { createHash } from 'node:crypto';
import { isProviderUsable, type ProviderSettings } from '@switchyard/config';
import { AnthropicAdapter } from './anthropic/anthropic-adapter';
import { OpenAIAdapter } from './openai/openai-adapter';
import type { ProviderAdapter } from './types';

/** One API key of a provider with the adapter that calls with it. */
export interface PooledKey {
  /** Position in the provider's key list. */
  keyIndex: number;
  /** A digest of the key: names its limits in Redis the same in every process, leaks nothing. */
  keyId: string;
  adapter: ProviderAdapter;
}

/** Every usable provider's keys, by provider name (a keyless OpenAI-compatible server has one). */
export type ProviderPools = Map<string, PooledKey[]>;

export function createProviderPools(providers: Record<string, ProviderSettings>): ProviderPools {
  const pools: ProviderPools = new Map();
  for (const provider of Object.values(providers)) {
    if (!isProviderUsable(provider)) continue;
    const apiKeys = provider.apiKeys.length ? provider.apiKeys : [undefined];
    pools.set(
      provider.name,
      apiKeys.map((apiKey, keyIndex) => ({
        keyIndex,
        keyId: createHash('sha256')
          .update(apiKey ?? 'keyless')
          .digest('hex')
          .slice(0, 12),
        adapter: createAdapter(provider, apiKey),
      })),
    );
  }
  return pools;
}

export function createAdapter(
  provider: ProviderSettings,
  apiKey: string | undefined,
): ProviderAdapter {
  const common = { name: provider.name, apiKey, baseUrl: provider.baseUrl };
  return provider.type === 'anthropic'
    ? new AnthropicAdapter(common)
    : new OpenAIAdapter({
        ...common,
        dialect: provider.type === 'openai' ? 'openai' : 'compatible',
      });
}
