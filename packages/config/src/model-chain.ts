import { parseModelRef, quoted } from '@switchyard/core';
import { isProviderUsable, type Settings } from './settings';

export type ChainResult =
  | { ok: true; chain: string[] }
  /** `index`: which name is at fault, 0 for the model and 1… for its fallbacks. */
  | { ok: false; message: string; index: number };

/**
 * The ordered `provider/model` list a job will try: its model (a route alias expands to its
 * chain), then each fallback (likewise), without repeats. Entries whose provider is unknown
 * make the request invalid; entries whose provider has no key are left out, and a chain left
 * empty is invalid too, so a job is never accepted that no worker could run. Names come from
 * clients: they are looked up with `Object.hasOwn` (`constructor` is no route) and quoted
 * clipped in messages.
 */
export function resolveModelChain(
  settings: Settings,
  model: string,
  fallbacks: readonly string[],
): ChainResult {
  const chain: string[] = [];
  const skipped: string[] = [];
  for (const [index, name] of [model, ...fallbacks].entries()) {
    const entries = Object.hasOwn(settings.routes, name) ? settings.routes[name]! : [name];
    for (const entry of entries) {
      const ref = parseModelRef(entry);
      if (!ref) {
        return {
          ok: false,
          index,
          message: `${quoted(name)} is neither "provider/model" nor a configured route`,
        };
      }
      if (!Object.hasOwn(settings.providers, ref.provider)) {
        const known = Object.keys(settings.providers).join(', ');
        return {
          ok: false,
          index,
          message: `unknown provider ${quoted(ref.provider)} (configured: ${known})`,
        };
      }
      if (!isProviderUsable(settings.providers[ref.provider]!)) skipped.push(quoted(entry));
      else if (!chain.includes(entry)) chain.push(entry);
    }
  }
  if (chain.length === 0) {
    return {
      ok: false,
      index: 0,
      message: `no configured provider can serve ${skipped.join(', ')} (set its API key, e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY)`,
    };
  }
  return { ok: true, chain };
}
