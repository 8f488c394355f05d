import { type Simulator, startSimulator } from '@switchyard/simulator';
import { AnthropicAdapter, exhaustedForMs, goDurationMs, OpenAIAdapter } from '../src';

test('Go durations as OpenAI writes them', () => {
  expect(goDurationMs('20ms')).toBe(20);
  expect(goDurationMs('1s')).toBe(1_000);
  expect(goDurationMs('6m0s')).toBe(360_000);
  expect(goDurationMs('1h2m3.5s')).toBe(3_723_500);
  expect(goDurationMs('soon')).toBeUndefined();
  expect(goDurationMs(null)).toBeUndefined();
});

test('only a spent budget asks for a wait, the longest one', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  const headers = (entries: Record<string, string>) => new Headers(entries);
  expect(
    exhaustedForMs(
      headers({ 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-reset-requests': '2s' }),
      now,
    ),
  ).toBe(0);
  expect(
    exhaustedForMs(
      headers({
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-remaining-tokens': '0',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
      now,
    ),
  ).toBe(360_000);
  expect(
    exhaustedForMs(
      headers({
        'anthropic-ratelimit-tokens-remaining': '0',
        'anthropic-ratelimit-tokens-reset': '2026-11-22T10:00:05Z',
      }),
      now,
    ),
  ).toBe(5_000);
});

test('OpenAI’s reset counts from when the request left, not from when the answer came', () => {
  const sentAt = Date.parse('2026-11-22T10:00:00Z');
  const answeredAt = sentAt + 800; // a completion that took 800 ms
  const spent = new Headers({
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': '1s',
  });
  expect(exhaustedForMs(spent, answeredAt, sentAt)).toBe(200);
  expect(exhaustedForMs(spent, sentAt + 1_500, sentAt)).toBe(0); // already reset
  // Anthropic's resets are instants: the send time changes nothing.
  const instant = new Headers({
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': '2026-11-22T10:00:01Z',
  });
  expect(exhaustedForMs(instant, answeredAt, sentAt)).toBe(200);
});

describe('through the real SDKs, from the simulator’s headers', () => {
  let simulator: Simulator;
  beforeAll(async () => {
    // One call a minute: the first call spends the budget.
    simulator = await startSimulator({ limits: { rpm: 1 } });
  });
  afterAll(() => simulator.close());

  test.each([
    [
      'openai',
      () =>
        new OpenAIAdapter({
          name: 'openai',
          apiKey: 'sk-a',
          baseUrl: simulator.openaiBaseUrl,
          dialect: 'openai',
        }),
    ],
    [
      'anthropic',
      () =>
        new AnthropicAdapter({
          name: 'anthropic',
          apiKey: 'sk-b',
          baseUrl: simulator.anthropicBaseUrl,
        }),
    ],
  ])('%s: a call that spends the budget reports the wait until it resets', async (_name, make) => {
    const response = await make().complete(
      { model: 'm', messages: [{ role: 'user', content: 'Hi' }], maxTokens: 8 },
      { signal: new AbortController().signal, timeoutMs: 5_000 },
    );
    expect(response.statusCode).toBe(200);
    // The window is a minute; the answer took a few milliseconds of it.
    expect(response.exhaustedForMs).toBeGreaterThan(55_000);
    expect(response.exhaustedForMs).toBeLessThanOrEqual(60_000);
  });
});
