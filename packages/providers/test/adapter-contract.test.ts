import type { Message } from '@switchyard/core';
import { type Simulator, simulateCompletion, startSimulator } from '@switchyard/simulator';
import {
  type CallFailure,
  type ProviderAdapter,
  ProviderCallError,
  type ProviderRequest,
} from '../src';
import { ADAPTERS, FAULT_CLASSES } from './adapter-cases';

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

describe.each(ADAPTERS)('%s adapter', (_name, makeAdapter) => {
  let adapter: ProviderAdapter;
  beforeAll(() => {
    adapter = makeAdapter(simulator);
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
    ...FAULT_CLASSES,
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
