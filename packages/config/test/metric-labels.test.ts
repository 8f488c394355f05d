import { modelLabel, parseEnv, providerModelLabel, resolveSettings } from '../src';

const settings = resolveSettings(parseEnv({ OPENAI_API_KEY: 'sk-test' }), {
  routes: { fast: ['openai/gpt-4o-mini'] },
});

test.each([
  ['openai/gpt-4o-mini', 'openai/gpt-4o-mini'],
  ['fast', 'fast'],
  ['openai/made-up-123', 'other'],
  ['constructor', 'other'],
  ['__proto__', 'other'],
  ['toString', 'other'],
])('model %s is labelled %s', (model, label) => {
  expect(modelLabel(settings, model)).toBe(label);
});

test.each([
  ['openai', 'gpt-4o-mini', 'gpt-4o-mini'],
  ['openai', 'made-up-123', 'other'],
  ['anthropic', 'claude-3-5-haiku-latest', 'claude-3-5-haiku-latest'],
  ['openai', 'constructor', 'other'],
])('a call to %s/%s is labelled %s', (provider, model, label) => {
  expect(providerModelLabel(settings, provider, model)).toBe(label);
});
