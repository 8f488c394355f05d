import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Simulator } from '@switchyard/simulator';
import type { ProviderAdapter } from '../src';
import { ADAPTERS } from './adapter-cases';

/**
 * A worker whose event loop is stalled (a loaded machine, a long GC) past the provider's
 * keep-alive timeout: the provider has closed the pooled connection, the FIN sits unread, and
 * Node's agent, which drops a pooled socket only once it has read that FIN, would hand the dead
 * socket to the next call,
 * which fails as `Connection error.` (socket hang up) without reaching the provider, and counts
 * against the model's circuit. The simulator runs on its own thread so it closes the connection
 * while this thread is stalled; the stall ends exactly when it has (Atomics.wait on its signal).
 */
const KEEP_ALIVE_MS = 2_000;
const flag = new Int32Array(new SharedArrayBuffer(4));
let thread: Worker;
let simulator: Pick<Simulator, 'openaiBaseUrl' | 'anthropicBaseUrl'>;

beforeAll(async () => {
  thread = new Worker(join(__dirname, 'support/simulator-thread.ts'), {
    execArgv: ['--require', require.resolve('tsx/cjs')],
    workerData: { flag, keepAliveTimeoutMs: KEEP_ALIVE_MS },
  });
  const [{ url }] = (await once(thread, 'message')) as [{ url: string }];
  simulator = { openaiBaseUrl: `${url}/v1`, anthropicBaseUrl: url };
});
afterAll(async () => {
  thread.postMessage('close');
  await once(thread, 'exit');
});

async function simulatorCalls(): Promise<number> {
  thread.postMessage('calls');
  const [{ calls }] = (await once(thread, 'message')) as [{ calls: number }];
  return calls;
}

/** Blocks this thread, as a busy process would be, until the simulator has no connection open. */
function stallUntilDisconnected(): void {
  Atomics.store(flag, 0, 0);
  thread.postMessage('disconnected');
  Atomics.wait(flag, 0, 0);
}

const call = (adapter: ProviderAdapter, stream: boolean, content: string) =>
  adapter.complete(
    { model: 'test-model', messages: [{ role: 'user', content }] },
    {
      signal: new AbortController().signal,
      timeoutMs: 10_000,
      onDelta: stream ? () => undefined : undefined,
    },
  );

describe.each(ADAPTERS)('%s', (_name, makeAdapter) => {
  test.each([
    ['streamed', true],
    ['plain', false],
  ])(
    'a %s call after a stall past the keep-alive timeout goes out on a fresh connection',
    async (_how, stream) => {
      const adapter = makeAdapter(simulator as Simulator);
      const before = await simulatorCalls();
      await call(adapter, stream, 'first');
      stallUntilDisconnected();
      // Made in the same turn as the stall's end, before this thread reads the server's FIN.
      const second = await call(adapter, stream, 'second');
      expect(second.finishReason).toBe('stop');
      expect(second.text.length).toBeGreaterThan(0);
      expect((await simulatorCalls()) - before).toBe(2);
    },
  );
});
