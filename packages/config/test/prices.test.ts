import { checkChainPrices, parseEnv, priceOf, resolveSettings } from '../src';

const env = parseEnv({ OPENAI_API_KEY: 'o' });
const strict = resolveSettings(env, {});
const lenient = resolveSettings(env, { pricing: { allow_unpriced: true } });

test('built-in and configured prices; anything else has none', () => {
  const settings = resolveSettings(env, {
    models: { 'openai/my-tune': { input_per_million: 1, output_per_million: 2 } },
  });
  expect(priceOf(settings, 'openai/gpt-4o-mini')).toMatchObject({
    inputPerMillion: 0.15,
    outputPerMillion: 0.6,
  });
  expect(priceOf(settings, 'openai/my-tune')).toMatchObject({
    inputPerMillion: 1,
    outputPerMillion: 2,
  });
  expect(priceOf(settings, 'openai/made-up')).toBeUndefined();
});

test.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])(
  '%s has no price',
  (name) => {
    expect(priceOf(strict, name)).toBeUndefined();
  },
);

test('unpriced models are refused by default, naming the model and how to price it', () => {
  expect(strict.pricing.allowUnpriced).toBe(false);
  expect(checkChainPrices(strict, ['openai/gpt-4o-mini'], { hasBudget: true })).toBeUndefined();
  expect(
    checkChainPrices(strict, ['openai/gpt-4o-mini', 'openai/made-up'], { hasBudget: false }),
  ).toEqual({
    model: 'openai/made-up',
    reason: 'unpriced',
    message:
      '"openai/made-up" has no price: give it input_per_million and output_per_million under ' +
      '`models` in the config file (docs/CONFIG.md), or accept unpriced models with ' +
      'pricing.allow_unpriced: true',
  });
});

test('allowed unpriced models are still refused to a tenant with a budget', () => {
  expect(checkChainPrices(lenient, ['openai/made-up'], { hasBudget: false })).toBeUndefined();
  expect(checkChainPrices(lenient, ['openai/made-up'], { hasBudget: true })).toMatchObject({
    model: 'openai/made-up',
    reason: 'unpriced_with_budget',
  });
});
