import { largerWindowHop } from '../src/larger-window';

const models = {
  'openai/gpt-4o-mini': { contextWindow: 128_000 },
  'openai/gpt-4o': { contextWindow: 128_000 },
  'local/llama3': { contextWindow: undefined },
  'anthropic/claude-3-5-haiku-latest': { contextWindow: 200_000 },
};

test('the first later model with a larger window, skipping equal and unknown ones', () => {
  const chain = [
    'openai/gpt-4o-mini',
    'openai/gpt-4o',
    'local/llama3',
    'anthropic/claude-3-5-haiku-latest',
  ];
  expect(largerWindowHop(chain, 0, models)).toBe(3);
  expect(largerWindowHop(chain, 3, models)).toBeUndefined();
});

test('no answer when the current window is unknown', () => {
  expect(largerWindowHop(['local/llama3', 'openai/gpt-4o'], 0, models)).toBeUndefined();
});
