import fc from 'fast-check';
import { long, PROTOTYPE_NAMES, segmentText } from './fuzz-text';

const MODELS = [
  'openai/gpt-4o-mini',
  'fast',
  'smart',
  'openai/made-up-model',
  'mistral/large',
  'openai/',
  '/x',
  ...PROTOTYPE_NAMES,
  ...PROTOTYPE_NAMES.map((name) => `${name}/model`),
  ...PROTOTYPE_NAMES.map((name) => `openai/${name}`),
];

/** A job body, right or wrong in one or several places. */
const jobBody = fc.record(
  {
    model: fc.oneof(fc.constantFrom(...MODELS), segmentText, long(65, 300)),
    input: fc.oneof(
      fc.constant({ messages: [{ role: 'user', content: 'Hi' }] }),
      fc.record(
        {
          messages: fc.array(
            fc.record({
              role: fc.constantFrom('user', 'system', 'tool', '__proto__'),
              content: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constant([]), fc.integer()),
            }),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    fallbacks: fc.array(fc.oneof(fc.constantFrom(...MODELS), segmentText), { maxLength: 6 }),
    webhook: fc.oneof(
      fc.constantFrom(
        'https://example.com/hook',
        'http://127.0.0.1/x',
        'ftp://x',
        'https://user:pw@example.com/',
      ),
      fc.webUrl(),
    ),
    priority: fc.constantFrom('interactive', 'batch', 'urgent'),
    cancel_after: fc.constantFrom('10m', '0s', '8d', 'soon', '1h30m'),
    metadata: fc.oneof(
      fc.dictionary(
        fc.oneof(segmentText, fc.constantFrom(...PROTOTYPE_NAMES), long(41, 200)),
        fc.oneof(fc.string(), long(400, 600)),
        { maxKeys: 5 },
      ),
      fc.constant(JSON.parse('{"__proto__": "x", "order": "1"}') as object),
    ),
  },
  { requiredKeys: ['model', 'input'] },
);

/** A job body that should be accepted: a priced model or route, and right optional fields. */
const validJob = fc.record(
  {
    model: fc.constantFrom(
      'openai/gpt-4o-mini',
      'fast',
      'smart',
      'anthropic/claude-3-5-haiku-latest',
    ),
    input: fc.record({
      messages: fc.array(
        fc.record({
          role: fc.constantFrom('user', 'system', 'assistant'),
          content: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fallbacks: fc.array(fc.constantFrom('openai/gpt-4o', 'fast'), { maxLength: 2 }),
    priority: fc.constantFrom('interactive', 'batch'),
    cache: fc.boolean(),
    cancel_after: fc.constantFrom('10m', '1h'),
    metadata: fc.dictionary(
      segmentText.filter((key) => key.length > 0 && key.length <= 40 && key !== '__proto__'),
      fc.string({ maxLength: 100 }),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ['model', 'input'] },
);

/** A body as bytes: JSON of some shape, broken JSON, huge, deep, odd unicode, or nothing. */
export function bodyText(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: jobBody.map((body) => JSON.stringify(body)) },
    { weight: 3, arbitrary: validJob.map((body) => JSON.stringify(body)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(jobBody, long(65, 2_000))
        .map(([body, key]) => JSON.stringify({ ...body, [key]: 1 })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record(
          { name: fc.oneof(fc.string(), long(65, 400)), limits: fc.jsonValue({ maxDepth: 1 }) },
          { requiredKeys: [] },
        )
        .map((body) => JSON.stringify(body)),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__": {"x": 1}}',
        '{"constructor": 1}',
        '{"model": "constructor", "input": {"messages": [{"role": "user", "content": "x"}]}}',
        '"\\ud800"',
        '{"a": "\\udc00"}',
        '[',
        '{',
        '{"a":',
        'nul',
        '',
        ' ',
        '\u0000',
        '\ufeff{}',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: 20_000 })
        .map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    },
    // Huge keys: mostly up to 100 KB, now and then over the 1 MiB limit (each one costs a
    // megabyte upload, and input-refusals sends the megabyte key of the issue anyway).
    {
      weight: 1,
      arbitrary: fc
        .oneof({ weight: 4, arbitrary: long(65, 100_000) }, long(1_000_000, 1_100_000))
        .map((text) => JSON.stringify({ [text]: 1 })),
    },
  );
}
