import { type Simulator, startSimulator } from '@switchyard/simulator';
import { type CallFailure, type ProviderAdapter, ProviderCallError } from '../src';
import { ADAPTERS } from './adapter-cases';

/**
 * A connection failure before any answer on a reused keep-alive connection may be the pool's
 * (the provider closed the connection before the request got there), so it is retried but not
 * held against the provider's circuit (`unattributed`); the same failure on a fresh connection
 * is the provider's. Calls here run one at a time, so the pool holds at most one connection,
 * and a reset destroys it: the call after a reset goes out on a fresh one.
 */
let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());

const call = (adapter: ProviderAdapter, content: string, stream: boolean) =>
  adapter.complete(
    { model: 'test-model', messages: [{ role: 'user', content }] },
    {
      signal: new AbortController().signal,
      timeoutMs: 5_000,
      onDelta: stream ? () => undefined : undefined,
    },
  );

async function failureOf(pending: Promise<unknown>): Promise<CallFailure> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderCallError)) throw new Error(`expected a failure, got ${error}`);
  return error.failure;
}

describe.each(ADAPTERS)('%s', (_name, makeAdapter) => {
  test.each([
    ['streamed', true],
    ['plain', false],
  ])(
    'a %s call reset on a reused connection is unattributed, on a fresh one not',
    async (_how, stream) => {
      const adapter = makeAdapter(simulator);
      simulator.reset();
      await call(adapter, 'opens a pooled connection', stream);
      const onReused = await failureOf(call(adapter, 'Hi [[sim: fault=reset]]', stream));
      const onFresh = await failureOf(call(adapter, 'Hi [[sim: fault=reset]]', stream));
      expect(onReused).toEqual({
        kind: 'retryable',
        errorType: 'provider_error',
        statusCode: null,
        retryAfterMs: null,
        message: 'Connection error.',
        unattributed: true,
      });
      expect(onFresh).toEqual({
        kind: 'retryable',
        errorType: 'provider_error',
        statusCode: null,
        retryAfterMs: null,
        message: 'Connection error.',
      });
      expect(simulator.calls().map((c) => c.status)).toEqual([200, 'reset', 'reset']);
    },
  );
});
