import { parseEnv, resolveModelChain, resolveSettings } from '../src';

const both = resolveSettings(parseEnv({ OPENAI_API_KEY: 'o', ANTHROPIC_API_KEY: 'a' }), {});
const openaiOnly = resolveSettings(parseEnv({ OPENAI_API_KEY: 'o' }), {});

test('a model then its fallbacks, routes expanded, repeats dropped', () => {
  expect(resolveModelChain(both, 'fast', ['openai/gpt-4o-mini', 'smart'])).toEqual({
    ok: true,
    chain: [
      'openai/gpt-4o-mini',
      'anthropic/claude-3-5-haiku-latest',
      'anthropic/claude-sonnet-4-5',
      'openai/gpt-4.1',
    ],
  });
});

test('models of providers without a key are left out', () => {
  expect(resolveModelChain(openaiOnly, 'fast', [])).toEqual({
    ok: true,
    chain: ['openai/gpt-4o-mini'],
  });
});

test('a chain nobody can serve is refused with the way out', () => {
  expect(resolveModelChain(openaiOnly, 'anthropic/claude-3-5-haiku-latest', [])).toEqual({
    ok: false,
    message:
      'no configured provider can serve anthropic/claude-3-5-haiku-latest (set its API key, e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY)',
  });
});

test('unknown providers and unknown bare names are refused', () => {
  expect(resolveModelChain(both, 'mistral/large', [])).toEqual({
    ok: false,
    message: 'unknown provider "mistral" in "mistral/large" (configured: openai, anthropic)',
  });
  expect(resolveModelChain(both, 'quick', [])).toEqual({
    ok: false,
    message: '"quick" is neither "provider/model" nor a configured route',
  });
});
