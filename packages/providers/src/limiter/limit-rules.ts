import type { RateLimits } from '@switchyard/config';
import type { Keys } from '@switchyard/queue';

export type LimitKind = 'req' | 'tok' | 'conc' | 'block';

/** One limit as the limiter scripts apply it, on its own Redis key. */
export interface LimitRule {
  kind: LimitKind;
  key: string;
  windowMs: number;
  limit: number;
}

/** The rules one call must pass on one provider API key: the key's limits and the model's. */
export interface LimitGroup {
  /** Which API key of the provider (its position in the provider's key list). */
  keyIndex: number;
  rules: LimitRule[];
}

/**
 * Rules for calling `model` of `provider` on the key `keyId` (a stable digest of the key, so
 * every process agrees whatever the order of its config). Provider limits count every model on
 * the key; model limits count that model on that key, as OpenAI and Anthropic count them. The
 * hold (after a 429) is per key and model, like the providers' own limits.
 */
export function limitRules(
  keys: Keys,
  target: { provider: string; model: string; keyId: string },
  providerLimits: RateLimits,
  modelLimits: RateLimits,
): LimitRule[] {
  const base = `${keys.namespace}:limit:${target.provider}:${target.keyId}`;
  const rules = [
    ...rulesOf(base, providerLimits),
    ...rulesOf(`${base}:${target.model}`, modelLimits),
  ];
  if (rules.length)
    rules.push({ kind: 'block', key: `${base}:${target.model}:hold`, windowMs: 0, limit: 0 });
  return rules;
}

function rulesOf(base: string, limits: RateLimits): LimitRule[] {
  const rules: LimitRule[] = [];
  for (const window of limits.windows) {
    if (window.requests !== undefined) {
      rules.push({
        kind: 'req',
        key: `${base}:req:${window.windowMs}`,
        windowMs: window.windowMs,
        limit: window.requests,
      });
    }
    if (window.tokens !== undefined) {
      rules.push({
        kind: 'tok',
        key: `${base}:tok:${window.windowMs}`,
        windowMs: window.windowMs,
        limit: window.tokens,
      });
    }
  }
  if (limits.maxInFlight !== undefined) {
    rules.push({ kind: 'conc', key: `${base}:inflight`, windowMs: 0, limit: limits.maxInFlight });
  }
  return rules;
}
