import type { Message } from '@switchyard/core';
import { type Simulator, simulateCompletion, startSimulator } from '@switchyard/simulator';
import {
  type CallFailure,
  type CallOptions,
  type ProviderAdapter,
  ProviderCallError,
  type ProviderRequest,
} from '../src';
import { ADAPTERS, FAULT_CLASSES } from './adapter-cases';

/**
 * The streaming side of the adapter contract: the real SDKs' stream APIs over HTTP to the
 * simulator. A streamed call must end exactly as the same call unstreamed would (same text,
 * usage and failure taxonomy), with the text arriving in pieces on the way.
 */
let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const user = (content: string): Message => ({ role: 'user', content });
const request = (overrides: Partial<ProviderRequest>): ProviderRequest => ({
  model: 'test-model',
  messages: [user('Hello')],
  ...overrides,
});

/** Starts a streamed call; `deltas` fills as the chunks arrive, `then` runs after each one. */
function streamCall(
  adapter: ProviderAdapter,
  overrides: Partial<ProviderRequest>,
  options: Partial<CallOptions> = {},
  then: (deltas: readonly string[]) => void = () => {},
) {
  const deltas: string[] = [];
  const done = adapter.complete(request(overrides), {
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    ...options,
    onDelta: (text) => {
      deltas.push(text);
      then(deltas);
    },
  });
  return { deltas, done };
}

const plainCall = (adapter: ProviderAdapter, overrides: Partial<ProviderRequest>) =>
  adapter.complete(request(overrides), { signal: new AbortController().signal, timeoutMs: 5_000 });

async function failureOf(promise: Promise<unknown>): Promise<CallFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderCallError);
    return (error as ProviderCallError).failure;
  }
  throw new Error('expected the call to fail');
}

/** What a failure means for the job; the message is the SDK's and may differ by path. */
const verdict = ({ kind, statusCode, retryAfterMs, errorType }: CallFailure) => ({
  kind,
  statusCode,
  retryAfterMs,
  errorType,
});

describe.each(ADAPTERS)('%s adapter, streaming', (_name, makeAdapter) => {
  let adapter: ProviderAdapter;
  beforeAll(() => {
    adapter = makeAdapter(simulator);
  });

  test('the deltas add up to the same response as the unstreamed call', async () => {
    const messages: Message[] = [
      { role: 'system', content: 'Be brief.' },
      user('Tell me about trains.'),
    ];
    const expected = simulateCompletion({
      model: 'test-model',
      messages: messages.map((m) => ({ role: m.role, content: m.content as string })),
    });
    const { deltas, done } = streamCall(adapter, { messages });
    const streamed = await done;
    expect(streamed).toEqual({
      text: expected.text,
      finishReason: 'stop',
      inputTokens: expected.inputTokens,
      outputTokens: expected.outputTokens,
      statusCode: 200,
      exhaustedForMs: 0,
    });
    expect(deltas.join('')).toBe(streamed.text);
    // The simulator sends one chunk per token, and the answer is many words long.
    expect(deltas).toHaveLength(expected.outputTokens);
    expect(deltas.length).toBeGreaterThan(1);
    expect(await plainCall(adapter, { messages })).toEqual(streamed);
    expect(simulator.calls().map((c) => c.stream)).toEqual([true, false]);
  });

  test('max tokens truncates the stream with finish reason length', async () => {
    const { deltas, done } = streamCall(adapter, { maxTokens: 3 });
    const streamed = await done;
    expect([streamed.finishReason, streamed.outputTokens, deltas.length]).toEqual(['length', 3, 3]);
    expect(deltas.join('')).toBe(streamed.text);
    expect(await plainCall(adapter, { maxTokens: 3 })).toEqual(streamed);
  });

  test.each<[string, Partial<CallFailure>]>(FAULT_CLASSES)(
    '[[sim: %s]] is classified as the unstreamed call is',
    async (directive, expected) => {
      const messages = [user(`Hello [[sim: ${directive}]]`)];
      const { deltas, done } = streamCall(adapter, { messages });
      const streamed = await failureOf(done);
      expect(streamed).toMatchObject(expected);
      expect(deltas).toEqual([]);
      expect(verdict(streamed)).toEqual(verdict(await failureOf(plainCall(adapter, { messages }))));
      const fault = /fault=(\S+)/.exec(directive)?.[1];
      expect(simulator.calls().map((c) => [c.stream, c.fault])).toEqual([
        [true, fault],
        [false, fault],
      ]);
    },
  );

  test('[[sim: fault=malformed]], an event stream of truncated JSON, is retryable', async () => {
    // The SDKs also log the unparsable event (with a logger bound when the client is built).
    const messages = [user('Hello [[sim: fault=malformed]]')];
    const { deltas, done } = streamCall(adapter, { messages });
    const streamed = await failureOf(done);
    expect(streamed).toMatchObject({
      kind: 'retryable',
      statusCode: null,
      errorType: 'provider_error',
    });
    expect(deltas).toEqual([]);
    expect(verdict(streamed)).toEqual(verdict(await failureOf(plainCall(adapter, { messages }))));
    expect(simulator.calls().map((c) => [c.stream, c.status, c.fault])).toEqual([
      [true, 200, 'malformed'],
      [false, 200, 'malformed'],
    ]);
  });

  test('a stream that never starts ends at the per-attempt timeout', async () => {
    const { deltas, done } = streamCall(
      adapter,
      { messages: [user('Hello [[sim: fault=hang]]')] },
      { timeoutMs: 200 },
    );
    expect(await failureOf(done)).toMatchObject({
      kind: 'timeout',
      statusCode: null,
      errorType: 'timeout',
    });
    expect(deltas).toEqual([]);
  });

  describe('failing mid-stream', () => {
    // Long enough between chunks that each failure below lands after the first one, never
    // before; the failures end the calls, so no test waits for it.
    const CHUNK_GAP_MS = 10_000;
    const fullText = simulateCompletion({
      model: 'test-model',
      messages: [{ role: 'user', content: 'Hello' }],
    }).text;

    beforeEach(() => simulator.configure({ tokenLatencyMs: CHUNK_GAP_MS }));
    afterEach(() => simulator.configure({ tokenLatencyMs: null }));

    test('aborting the signal after the first delta cancels the call and its HTTP stream', async () => {
      const controller = new AbortController();
      const { deltas, done } = streamCall(adapter, {}, { signal: controller.signal }, () =>
        controller.abort(),
      );
      expect(await failureOf(done)).toMatchObject({
        kind: 'canceled',
        statusCode: null,
        errorType: 'canceled',
      });
      expect(deltas).toHaveLength(1);
      expect(fullText.startsWith(deltas[0]!)).toBe(true);
      await simulator.idle();
      expect(simulator.stats().inFlight).toBe(0);
    });

    test('the per-attempt timeout covers the whole stream, not only its first byte', async () => {
      const { deltas, done } = streamCall(adapter, {}, { timeoutMs: 300 });
      expect(await failureOf(done)).toMatchObject({
        kind: 'timeout',
        statusCode: null,
        errorType: 'timeout',
      });
      expect(deltas).toHaveLength(1);
      await simulator.idle();
      expect(simulator.stats().inFlight).toBe(0);
    });

    test('a connection lost after the first delta is retryable', async () => {
      // The simulator has no mid-stream fault, so a simulator of its own is shut down under the
      // call: its open connections are destroyed halfway through the event stream.
      const own = await startSimulator({ tokenLatencyMs: CHUNK_GAP_MS });
      let closing: Promise<void> | undefined;
      try {
        const { deltas, done } = streamCall(makeAdapter(own), {}, {}, () => {
          closing ??= own.close();
        });
        expect(await failureOf(done)).toMatchObject({
          kind: 'retryable',
          statusCode: null,
          errorType: 'provider_error',
        });
        expect(deltas).toHaveLength(1);
        expect(fullText.startsWith(deltas[0]!)).toBe(true);
      } finally {
        await (closing ?? own.close());
      }
    });
  });
});
