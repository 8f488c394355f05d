import { quoted } from '@switchyard/core';
import type { ModelPrice, Settings } from './settings';

/**
 * The price of `provider/model`, or `undefined` when the config gives none. The one rule for
 * "is this model priced", used at submit (a job naming an unpriced model is refused) and when a
 * call is billed. `settings.models` has no prototype, and `Object.hasOwn` keeps a name such as
 * `constructor` from ever reading an inherited property.
 */
export function priceOf(settings: Pick<Settings, 'models'>, ref: string): ModelPrice | undefined {
  return Object.hasOwn(settings.models, ref) ? settings.models[ref] : undefined;
}

/** Why a model chain may not run, naming the first model at fault. */
export interface PriceProblem {
  model: string;
  /**
   * `unpriced`: the config refuses unpriced models. `unpriced_with_budget`: they are allowed,
   * but the tenant has a monthly budget, which a call of unknown cost would escape.
   */
  reason: 'unpriced' | 'unpriced_with_budget';
  message: string;
}

/**
 * Whether every model of a job's chain has a price, as the config and the tenant require: a
 * call whose cost is unknown is never counted against a budget, so it is only allowed when the
 * config says so (`pricing.allow_unpriced`) and the tenant has no monthly budget.
 */
export function checkChainPrices(
  settings: Settings,
  chain: readonly string[],
  tenant: { hasBudget: boolean },
): PriceProblem | undefined {
  const model = chain.find((entry) => priceOf(settings, entry) === undefined);
  if (model === undefined) return undefined;
  const name = quoted(model);
  // The model is named once: an error quotes a client's input at most once.
  const howToPrice =
    'give it input_per_million and output_per_million under `models` in the config file (docs/CONFIG.md)';
  if (!settings.pricing.allowUnpriced) {
    return {
      model,
      reason: 'unpriced',
      message: `${name} has no price: ${howToPrice}, or accept unpriced models with pricing.allow_unpriced: true`,
    };
  }
  if (tenant.hasBudget) {
    return {
      model,
      reason: 'unpriced_with_budget',
      message: `${name} has no price and this tenant has a monthly budget, which a call of unknown cost would escape: ${howToPrice}, or use a priced model`,
    };
  }
  return undefined;
}
