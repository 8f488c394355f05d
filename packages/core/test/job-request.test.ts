import { JobRequest, parseModelRef } from '../src';

const valid = {
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'Hi' }] },
};

test('only model and input.messages are required; the rest takes defaults', () => {
  expect(JobRequest.parse(valid)).toEqual({
    ...valid,
    fallbacks: [],
    webhook_events_filter: ['completed'],
    priority: 'interactive',
    cache: true,
    metadata: {},
  });
});

test('the contract example parses as given', () => {
  const example = {
    model: 'openai/gpt-4o-mini',
    input: {
      messages: [{ role: 'user', content: 'Summarise: …' }],
      max_tokens: 256,
      temperature: 0.2,
    },
    fallbacks: ['anthropic/claude-3-5-haiku-latest'],
    webhook: 'https://example.com/hooks/ai',
    webhook_events_filter: ['completed'],
    priority: 'interactive',
    cache: true,
    cancel_after: '10m',
    metadata: { order_id: '1234' },
  };
  expect(JobRequest.parse(example)).toEqual(example);
});

function issuesOf(body: unknown): string[] {
  const result = JobRequest.safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`);
}

test.each<[string, unknown, string]>([
  ['missing model', { input: valid.input }, 'model: invalid_type'],
  ['empty messages', { ...valid, input: { messages: [] } }, 'input.messages: too_small'],
  [
    'unknown role',
    { ...valid, input: { messages: [{ role: 'tool', content: 'x' }] } },
    'input.messages.0.role: invalid_value',
  ],
  [
    'temperature above 2',
    { ...valid, input: { ...valid.input, temperature: 3 } },
    'input.temperature: too_big',
  ],
  [
    'fractional max_tokens',
    { ...valid, input: { ...valid.input, max_tokens: 1.5 } },
    'input.max_tokens: invalid_type',
  ],
  ['unknown top-level field', { ...valid, modle: 'x' }, ': unrecognized_keys'],
  ['bad priority', { ...valid, priority: 'urgent' }, 'priority: invalid_value'],
  ['ftp webhook', { ...valid, webhook: 'ftp://example.com/x' }, 'webhook: invalid_format'],
  ['cancel_after not a duration', { ...valid, cancel_after: 'soon' }, 'cancel_after: custom'],
  ['cancel_after over 7 days', { ...valid, cancel_after: '8d' }, 'cancel_after: custom'],
  ['non-string metadata value', { ...valid, metadata: { a: 1 } }, 'metadata.a: invalid_type'],
  ['model with spaces', { ...valid, model: 'open ai/x' }, 'model: invalid_format'],
])('%s is refused at the right field', (_name, body, issue) => {
  expect(issuesOf(body)).toEqual([issue]);
});

test('model refs split at the first slash; a bare word is not one', () => {
  expect(parseModelRef('local/meta-llama/Llama-3-8B')).toEqual({
    provider: 'local',
    model: 'meta-llama/Llama-3-8B',
  });
  expect(parseModelRef('fast')).toBeUndefined();
  expect(parseModelRef('openai/')).toBeUndefined();
});
