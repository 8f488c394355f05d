import { parseModelRef } from '@switchyard/core';
import { isProviderUsable, type Settings } from './settings';

export type ChainResult = { ok: true; chain: string[] } | { ok: false; message: string };

/**
 * The ordered `provider/model` list a job will try: its model (a route alias expands to its
 * chain), then each fallback (likewise), without repeats. Entries whose provider is unknown
 * make the request invalid; entries whose provider has no key are left out, and a chain left
 * empty is invalid too, so a job is never accepted that no worker could run.
 */
export function resolveModelChain(
  settings: Settings,
  model: string,
  fallbacks: readonly string[],
): ChainResult {
  const chain: string[] = [];
  const skipped: string[] = [];
  for (const name of [model, ...fallbacks]) {
    const entries = settings.routes[name] ?? [name];
    for (const entry of entries) {
      const ref = parseModelRef(entry);
      if (!ref) {
        return {
          ok: false,
          message: `"${name}" is neither "provider/model" nor a configured route`,
        };
      }
      const provider = settings.providers[ref.provider];
      if (!provider) {
        const known = Object.keys(settings.providers).join(', ');
        return {
          ok: false,
          message: `unknown provider "${ref.provider}" in "${entry}" (configured: ${known})`,
        };
      }
      if (!isProviderUsable(provider)) skipped.push(entry);
      else if (!chain.includes(entry)) chain.push(entry);
    }
  }
  if (chain.length === 0) {
    return {
      ok: false,
      message: `no configured provider can serve ${skipped.join(', ')} (set its API key, e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY)`,
    };
  }
  return { ok: true, chain };
}
