import OpenAI from 'openai';
import { simulateCompletion, type Simulator, startSimulator } from '../src/index';
import { OPENAI_KEY, sleep } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, latency: { kind: 'fixed', ms: 200 } });
});
afterAll(() => sim.close());

const model = 'gpt-4o';
const CONCURRENCY = 1000;

function prompt(i: number): Array<{ role: 'user'; content: string }> {
  return [{ role: 'user', content: `Request number ${i}` }];
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * One test process spends ~0.2 ms of CPU per SDK call, so firing 1,000 calls takes about as long
 * as the 200 ms latency and the burst would smear out. This fetch sends each request's headers
 * (with one leading space of JSON whitespace: undici sends headers with the first body bytes) at
 * once, but holds the rest of the body until the server has all 1,000 requests open; only then do
 * the bodies, and so the 200 ms latencies, start. The server is measured, not the test's CPU.
 */
function heldBodyFetch(release: Promise<void>): typeof fetch {
  return (input, init) => {
    const text = typeof init?.body === 'string' ? init.body : '';
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(' ');
      await release;
      yield Buffer.from(text);
    }
    return fetch(input, {
      ...init,
      body: body() as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit);
  };
}

describe('concurrency', () => {
  it('holds 1,000 concurrent requests at 200 ms latency; all succeed with their exact answers', async () => {
    let releaseBodies = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      releaseBodies = resolve;
    });
    const client = new OpenAI({
      apiKey: OPENAI_KEY,
      baseURL: sim.openaiBaseUrl,
      maxRetries: 0,
      timeout: 60_000,
      fetch: heldBodyFetch(released),
    });
    const results = Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        client.chat.completions.create({ model, messages: prompt(i) }),
      ),
    );
    await until(() => sim.stats().inFlight === CONCURRENCY, `${CONCURRENCY} open requests`);
    releaseBodies();

    (await results).forEach((result, i) => {
      expect(result.choices[0]?.message.content).toBe(
        simulateCompletion({ model, messages: prompt(i) }).text,
      );
    });
    expect(sim.stats()).toEqual({
      requests: CONCURRENCY,
      inFlight: 0,
      maxInFlight: CONCURRENCY,
      byStatus: { '200': CONCURRENCY },
      byFault: {},
    });
    expect(sim.calls()).toHaveLength(CONCURRENCY);
  });
});
