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
    index: 0,
    message:
      'no configured provider can serve "anthropic/claude-3-5-haiku-latest" (set its API key, e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY)',
  });
});

test('unknown providers and unknown bare names are refused', () => {
  expect(resolveModelChain(both, 'mistral/large', [])).toEqual({
    ok: false,
    index: 0,
    message: 'unknown provider "mistral" (configured: openai, anthropic)',
  });
  expect(resolveModelChain(both, 'openai/gpt-4o', ['fast', 'quick'])).toEqual({
    ok: false,
    index: 2,
    message: '"quick" is neither "provider/model" nor a configured route',
  });
});

// The route, provider and price tables are keyed by what clients send: a name of an inherited
// property of a plain object must find nothing, not a function.
const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

test.each(PROTOTYPE_NAMES)('%s is no route, as a model or a fallback', (name) => {
  const refused = {
    ok: false,
    message: `${JSON.stringify(name)} is neither "provider/model" nor a configured route`,
  };
  expect(resolveModelChain(both, name, [])).toEqual({ ...refused, index: 0 });
  expect(resolveModelChain(both, 'fast', [name])).toEqual({ ...refused, index: 1 });
});

test.each(PROTOTYPE_NAMES)('%s is no provider', (name) => {
  expect(resolveModelChain(both, `${name}/model`, [])).toEqual({
    ok: false,
    index: 0,
    message: `unknown provider ${JSON.stringify(name)} (configured: openai, anthropic)`,
  });
});

test('a name from the client is quoted clipped, once', () => {
  const long = `x${'y'.repeat(199)}`;
  const result = resolveModelChain(both, long, []);
  expect(result).toEqual({
    ok: false,
    index: 0,
    message: `"x${'y'.repeat(62)}…" is neither "provider/model" nor a configured route`,
  });
});
