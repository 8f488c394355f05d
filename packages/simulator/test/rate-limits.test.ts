import type Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { formatGoDuration } from '../src/duration';
import { type CallRecord, simulateCompletion, type Simulator, startSimulator } from '../src/index';
import { anthropicClient, failure, openaiClient, sleep, sleepUntil } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.configure({ limits: null });
  sim.reset();
});

const model = 'gpt-4o';
const hello = [{ role: 'user' as const, content: 'Hello' }];
type OpenAIError = InstanceType<typeof OpenAI.APIError>;

async function ok(
  client = openaiClient(sim),
  body: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
): Promise<Headers> {
  const { response } = await client.chat.completions
    .create({ model, messages: hello, ...body })
    .withResponse();
  return response.headers;
}

async function limited(
  client = openaiClient(sim),
  body: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
): Promise<OpenAIError> {
  const err = await failure(client.chat.completions.create({ model, messages: hello, ...body }));
  expect(err).toBeInstanceOf(OpenAI.RateLimitError);
  return err as OpenAIError;
}

function pick(headers: Headers | undefined, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, key) => {
    if (key.startsWith(prefix)) out[key] = value;
  });
  return out;
}

function call(n: number): CallRecord {
  const record = sim.calls().find((c) => c.seq === n);
  if (!record) throw new Error(`no call ${n}`);
  return record;
}

describe('rate limits per API key + model', () => {
  it('sends no rate-limit headers when no limits are configured', async () => {
    const headers = await ok();
    expect(pick(headers, 'x-ratelimit-')).toEqual({});
    expect(pick(headers, 'anthropic-ratelimit-')).toEqual({});
  });

  it('rpm: accepts exactly rpm requests, then 429 with exact headers and body', async () => {
    sim.configure({ limits: { rpm: 3 } });
    for (const remaining of ['2', '1', '0']) {
      expect(pick(await ok(), 'x-ratelimit-')).toEqual({
        'x-ratelimit-limit-requests': '3',
        'x-ratelimit-remaining-requests': remaining,
        'x-ratelimit-reset-requests': '1m0s',
      });
    }
    const err = await limited();
    const retryAfterMs = call(1).at + 60_000 - call(4).at;
    const resetMs = call(3).at + 60_000 - call(4).at;
    expect(err.error).toEqual({
      message: `Rate limit reached for gpt-4o on requests per 1m0s: Limit 3, Used 3, Requested 1. Please try again in ${formatGoDuration(retryAfterMs)}.`,
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(pick(err.headers, 'retry-after')).toEqual({
      'retry-after': String(Math.ceil(retryAfterMs / 1000)),
      'retry-after-ms': String(retryAfterMs),
    });
    expect(pick(err.headers, 'x-ratelimit-')).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': formatGoDuration(resetMs),
    });
    expect(pick(err.headers, 'anthropic-ratelimit-')).toEqual({
      'anthropic-ratelimit-requests-limit': '3',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(call(3).at + 60_000).toISOString(),
    });
    expect(sim.calls().map((c) => [c.status, c.fault])).toEqual([
      [200, null],
      [200, null],
      [200, null],
      [429, 'rate_limit'],
    ]);
  });

  it('keeps separate windows per API key and per model', async () => {
    sim.configure({ limits: { rpm: 1 } });
    await ok();
    await limited();
    await ok(openaiClient(sim, { apiKey: 'another-key' }));
    await ok(undefined, { model: 'gpt-4o-mini' });
    expect(sim.calls().map((c) => c.status)).toEqual([200, 429, 200, 200]);
  });

  it('a 200 ms sub-window limits bursts inside the rpm limit; the binding window is reported', async () => {
    sim.configure({ limits: { rpm: 5, windows: [{ windowMs: 200, requests: 2 }] } });
    const sub = (remaining: string): Record<string, string> => ({
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': remaining,
      'x-ratelimit-reset-requests': '200ms',
    });
    expect(pick(await ok(), 'x-ratelimit-')).toEqual(sub('1'));
    expect(pick(await ok(), 'x-ratelimit-')).toEqual(sub('0'));
    const burst = await limited();
    expect(burst.headers?.get('retry-after-ms')).toBe(String(call(1).at + 200 - call(3).at));
    expect(burst.headers?.get('retry-after')).toBe('1');
    expect(burst.headers?.get('x-ratelimit-remaining-requests')).toBe('0');

    await sleepUntil(call(2).at + 200);
    await ok();
    expect(pick(await ok(), 'x-ratelimit-')).toEqual(sub('0'));
    await limited();
    await sleepUntil(call(5).at + 200);
    // 5th accepted request: the sub-window has room, the minute window is now the binding one.
    expect(pick(await ok(), 'x-ratelimit-')).toEqual({
      'x-ratelimit-limit-requests': '5',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1m0s',
    });
    const perMinute = await limited();
    const retryAfterMs = call(1).at + 60_000 - call(8).at;
    expect(perMinute.headers?.get('retry-after-ms')).toBe(String(retryAfterMs));
    expect(perMinute.headers?.get('retry-after')).toBe(String(Math.ceil(retryAfterMs / 1000)));
    expect((perMinute.error as { message: string }).message).toMatch(
      /^Rate limit reached for gpt-4o on requests per 1m0s: Limit 5, Used 5, Requested 1\./,
    );
    expect(sim.calls().map((c) => c.status)).toEqual([200, 200, 429, 200, 200, 429, 200, 429]);
  });

  it('a rejected request does not consume the window, and requests pass again once it slides', async () => {
    sim.configure({ limits: { windows: [{ windowMs: 300, requests: 2 }] } });
    await ok();
    await ok();
    await sleep(100);
    const rejected = await limited();
    // Retry-After points at the moment the oldest accepted request leaves the window.
    expect(call(3).at + Number(rejected.headers?.get('retry-after-ms'))).toBe(call(1).at + 300);
    await sleepUntil(call(2).at + 300);
    // If the rejected call had been counted, it would still be in the window and block the 2nd.
    expect((await ok()).get('x-ratelimit-remaining-requests')).toBe('1');
    expect((await ok()).get('x-ratelimit-remaining-requests')).toBe('0');
    await limited();
    const calls = sim.calls();
    expect(calls.map((c) => c.status)).toEqual([200, 200, 429, 200, 200, 429]);
    expect(call(4).at).toBeGreaterThanOrEqual(
      call(3).at + Number(rejected.headers?.get('retry-after-ms')),
    );
  });

  it('tpm: charges input + max_tokens, reports token headers, rejects with type tokens', async () => {
    sim.configure({ limits: { tpm: 30 } });
    // "Hello": 1 + 3 input tokens; max_tokens 10 => 14 per request.
    const tokens = (remaining: string): Record<string, string> => ({
      'x-ratelimit-limit-tokens': '30',
      'x-ratelimit-remaining-tokens': remaining,
      'x-ratelimit-reset-tokens': '1m0s',
    });
    expect(pick(await ok(undefined, { max_tokens: 10 }), 'x-ratelimit-')).toEqual(tokens('16'));
    expect(pick(await ok(undefined, { max_tokens: 10 }), 'x-ratelimit-')).toEqual(tokens('2'));
    const err = await limited(undefined, { max_tokens: 10 });
    const retryAfterMs = call(1).at + 60_000 - call(3).at;
    expect(err.error).toEqual({
      message: `Rate limit reached for gpt-4o on tokens per 1m0s: Limit 30, Used 28, Requested 14. Please try again in ${formatGoDuration(retryAfterMs)}.`,
      type: 'tokens',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(err.headers?.get('x-ratelimit-remaining-tokens')).toBe('2');
    expect(err.headers?.get('retry-after-ms')).toBe(String(retryAfterMs));
  });

  it('tpm: without max_tokens charges input + actual output tokens', async () => {
    const expected = simulateCompletion({ model, messages: hello });
    const cost = expected.inputTokens + expected.outputTokens;
    sim.configure({ limits: { tpm: 2 * cost } });
    expect((await ok()).get('x-ratelimit-remaining-tokens')).toBe(String(cost));
    expect((await ok()).get('x-ratelimit-remaining-tokens')).toBe('0');
    await limited();
  });

  it('Anthropic endpoint: anthropic-ratelimit-* headers on success and a rate_limit_error 429', async () => {
    sim.configure({ limits: { rpm: 2, tpm: 1000 } });
    const client: Anthropic = anthropicClient(sim);
    const send = () =>
      client.messages
        .create({ model: 'claude-test', max_tokens: 10, messages: hello })
        .withResponse();
    const first = await send();
    const at = call(1).at;
    const reset = new Date(at + 60_000).toISOString();
    expect(pick(first.response.headers, 'anthropic-ratelimit-')).toEqual({
      'anthropic-ratelimit-requests-limit': '2',
      'anthropic-ratelimit-requests-remaining': '1',
      'anthropic-ratelimit-requests-reset': reset,
      'anthropic-ratelimit-tokens-limit': '1000',
      'anthropic-ratelimit-tokens-remaining': '986',
      'anthropic-ratelimit-tokens-reset': reset,
      'anthropic-ratelimit-input-tokens-limit': '1000',
      'anthropic-ratelimit-input-tokens-remaining': '986',
      'anthropic-ratelimit-input-tokens-reset': reset,
      'anthropic-ratelimit-output-tokens-limit': '1000',
      'anthropic-ratelimit-output-tokens-remaining': '986',
      'anthropic-ratelimit-output-tokens-reset': reset,
    });
    expect(pick(first.response.headers, 'x-ratelimit-')).toEqual({});
    await send();
    const err = (await failure(send())) as InstanceType<typeof OpenAI.APIError>;
    const retryAfterMs = at + 60_000 - call(3).at;
    expect(err.status).toBe(429);
    expect(err.error).toEqual({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: `This request would exceed your rate limit of 2 requests per 1m0s for claude-test (used 2, requested 1). Please try again in ${formatGoDuration(retryAfterMs)}.`,
      },
    });
    expect(err.headers?.get('retry-after-ms')).toBe(String(retryAfterMs));
    expect(err.headers?.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(err.headers?.get('x-ratelimit-remaining-tokens')).toBe('972');
  });

  it('streaming responses carry the headers too', async () => {
    sim.configure({ limits: { rpm: 10 } });
    const { data: stream, response } = await openaiClient(sim)
      .chat.completions.create({ model, messages: hello, stream: true })
      .withResponse();
    for await (const _chunk of stream) {
      // drain
    }
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('9');
  });
});
