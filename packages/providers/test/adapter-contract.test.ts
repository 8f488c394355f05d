import type { Message } from '@switchyard/core';
import { type Simulator, simulateCompletion, startSimulator } from '@switchyard/simulator';
import {
  AnthropicAdapter,
  type CallFailure,
  OpenAIAdapter,
  type ProviderAdapter,
  ProviderCallError,
  type ProviderRequest,
} from '../src';

/**
 * One contract, every adapter: the real SDKs over HTTP to the simulator. Faults are injected by
 * prompt directive, exactly as a job's prompt would carry them.
 */
let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const adapters: Array<[string, () => ProviderAdapter]> = [
  [
    'openai',
    () =>
      new OpenAIAdapter({
        name: 'openai',
        apiKey: 'sk-test',
        baseUrl: simulator.openaiBaseUrl,
        dialect: 'openai',
      }),
  ],
  [
    'openai-compatible',
    () =>
      new OpenAIAdapter({
        name: 'local',
        apiKey: undefined,
        baseUrl: simulator.openaiBaseUrl,
        dialect: 'compatible',
      }),
  ],
  [
    'anthropic',
    () =>
      new AnthropicAdapter({
        name: 'anthropic',
        apiKey: 'sk-ant-test',
        baseUrl: simulator.anthropicBaseUrl,
      }),
  ],
];

const user = (content: string): Message => ({ role: 'user', content });
const call = (adapter: ProviderAdapter, request: Partial<ProviderRequest>, timeoutMs = 5_000) =>
  adapter.complete(
    { model: 'test-model', messages: [user('Hello')], ...request },
    { signal: new AbortController().signal, timeoutMs },
  );
async function failureOf(promise: Promise<unknown>): Promise<CallFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderCallError);
    return (error as ProviderCallError).failure;
  }
  throw new Error('expected the call to fail');
}

describe.each(adapters)('%s adapter', (_name, makeAdapter) => {
  let adapter: ProviderAdapter;
  beforeAll(() => {
    adapter = makeAdapter();
  });

  test('returns the text, finish reason and the usage the provider counted', async () => {
    const messages: Message[] = [
      { role: 'system', content: 'Be brief.' },
      user('Tell me about trains.'),
    ];
    const expected = simulateCompletion({
      model: 'test-model',
      messages: messages.map((m) => ({ role: m.role, content: m.content as string })),
    });
    expect(await call(adapter, { messages })).toEqual({
      text: expected.text,
      finishReason: 'stop',
      inputTokens: expected.inputTokens,
      outputTokens: expected.outputTokens,
      statusCode: 200,
      exhaustedForMs: 0,
    });
  });

  test('text parts are joined into one text', async () => {
    const parts: Message = {
      role: 'user',
      content: [
        { type: 'text', text: 'Hel' },
        { type: 'text', text: 'lo' },
      ],
    };
    const expected = simulateCompletion({
      model: 'test-model',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect((await call(adapter, { messages: [parts] })).text).toBe(expected.text);
  });

  test('max tokens truncates with finish reason length', async () => {
    const response = await call(adapter, { maxTokens: 3 });
    expect([response.finishReason, response.outputTokens]).toEqual(['length', 3]);
  });

  test.each<[string, Partial<CallFailure>]>([
    ['fault=500', { kind: 'retryable', statusCode: 500, errorType: 'provider_error' }],
    ['fault=502', { kind: 'retryable', statusCode: 502 }],
    ['fault=503 retry_after=1.5', { kind: 'retryable', statusCode: 503, retryAfterMs: 1_500 }],
    ['fault=529', { kind: 'retryable', statusCode: 529 }],
    [
      'fault=429 retry_after=2',
      { kind: 'rate_limited', statusCode: 429, retryAfterMs: 2_000, errorType: 'rate_limited' },
    ],
    [
      'fault=insufficient_quota',
      { kind: 'terminal', errorType: 'provider_error', retryAfterMs: null },
    ],
    ['fault=400', { kind: 'terminal', statusCode: 400, errorType: 'invalid_request' }],
    ['fault=401', { kind: 'terminal', statusCode: 401, errorType: 'provider_error' }],
    ['fault=403', { kind: 'terminal', statusCode: 403, errorType: 'provider_error' }],
    ['fault=404', { kind: 'terminal', statusCode: 404, errorType: 'provider_error' }],
    ['fault=413', { kind: 'terminal', statusCode: 413, errorType: 'invalid_request' }],
    [
      'fault=context_length',
      { kind: 'context_length', statusCode: 400, errorType: 'invalid_request' },
    ],
    ['fault=reset', { kind: 'retryable', statusCode: null }],
    ['fault=malformed', { kind: 'retryable', statusCode: null }],
  ])('[[sim: %s]] is classified', async (directive, expected) => {
    const failure = await failureOf(
      call(adapter, { messages: [user(`Hello [[sim: ${directive}]]`)] }),
    );
    expect(failure).toMatchObject(expected);
    expect(simulator.calls()).toHaveLength(1);
  });

  test('a hung call ends at the per-attempt timeout', async () => {
    const failure = await failureOf(
      call(adapter, { messages: [user('Hello [[sim: fault=hang]]')] }, 200),
    );
    expect(failure).toMatchObject({ kind: 'timeout', statusCode: null, errorType: 'timeout' });
  });

  test('aborting the signal cuts the HTTP call itself', async () => {
    const controller = new AbortController();
    const pending = adapter.complete(
      { model: 'test-model', messages: [user('Hello [[sim: fault=hang]]')] },
      { signal: controller.signal, timeoutMs: 30_000 },
    );
    await simulator.nextCall();
    expect(simulator.stats().inFlight).toBe(1);
    controller.abort();
    expect(await failureOf(pending)).toMatchObject({ kind: 'canceled', errorType: 'canceled' });
    await simulator.idle();
    expect(simulator.stats().inFlight).toBe(0);
  });
});
