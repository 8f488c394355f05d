import type { RateLimits } from '@switchyard/config';
import type { Keys, LimitScope } from '@switchyard/redis-kit';

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
  const onKey: LimitScope = { provider: target.provider, keyId: target.keyId };
  const onModel: LimitScope = { ...onKey, model: target.model };
  const rules = [...rulesOf(keys, onKey, providerLimits), ...rulesOf(keys, onModel, modelLimits)];
  if (rules.length) {
    const hold = keys.limit(onModel, { kind: 'hold' });
    rules.push({ kind: 'block', key: hold, windowMs: 0, limit: 0 });
  }
  return rules;
}

function rulesOf(keys: Keys, scope: LimitScope, limits: RateLimits): LimitRule[] {
  const rules: LimitRule[] = [];
  for (const { windowMs, requests, tokens } of limits.windows) {
    if (requests !== undefined) {
      const key = keys.limit(scope, { kind: 'req', windowMs });
      rules.push({ kind: 'req', key, windowMs, limit: requests });
    }
    if (tokens !== undefined) {
      const key = keys.limit(scope, { kind: 'tok', windowMs });
      rules.push({ kind: 'tok', key, windowMs, limit: tokens });
    }
  }
  if (limits.maxInFlight !== undefined) {
    const key = keys.limit(scope, { kind: 'inflight' });
    rules.push({ kind: 'conc', key, windowMs: 0, limit: limits.maxInFlight });
  }
  return rules;
}
