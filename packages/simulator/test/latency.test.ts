import OpenAI from 'openai';
import { sampleLatency } from '../src/latency';
import { Prng } from '../src/prng';
import { simulateCompletion, type Simulator, startSimulator } from '../src/index';
import { openaiClient } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.configure({ latency: null, tokenLatencyMs: null });
  sim.reset();
});

const model = 'gpt-4o';
const hello = [{ role: 'user' as const, content: 'Hello' }];

describe('latency sampling', () => {
  it('is repeatable for a seed and stays within the uniform bounds', () => {
    const spec = { kind: 'uniform', minMs: 100, maxMs: 300 } as const;
    const a = Array.from(
      { length: 50 },
      (
        (prng) => () =>
          sampleLatency(spec, prng)
      )(Prng.fromSeed(9)),
    );
    const b = Array.from(
      { length: 50 },
      (
        (prng) => () =>
          sampleLatency(spec, prng)
      )(Prng.fromSeed(9)),
    );
    expect(a).toEqual(b);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...a)).toBeLessThanOrEqual(300);
    expect(new Set(a).size).toBeGreaterThan(20);
  });

  it('matches the lognormal median and p99 it was given', () => {
    const prng = Prng.fromSeed(1);
    const spec = { kind: 'lognormal', medianMs: 800, p99Ms: 3000 } as const;
    const samples = Array.from({ length: 20_000 }, () => sampleLatency(spec, prng)).sort(
      (x, y) => x - y,
    );
    const median = samples[10_000]!;
    const p99 = samples[19_800]!;
    expect(median).toBeGreaterThan(760);
    expect(median).toBeLessThan(840);
    expect(p99).toBeGreaterThan(2700);
    expect(p99).toBeLessThan(3300);
  });

  it('returns the fixed value without drawing', () => {
    expect(sampleLatency({ kind: 'fixed', ms: 250 }, Prng.fromSeed(0))).toBe(250);
  });
});

describe('latency on the wire', () => {
  it('does not answer before the configured latency', async () => {
    sim.configure({ latency: { kind: 'fixed', ms: 150 } });
    const started = Date.now();
    await openaiClient(sim).chat.completions.create({ model, messages: hello });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('spaces streamed chunks by tokenLatencyMs and still delivers the exact text', async () => {
    sim.configure({ tokenLatencyMs: 40 });
    const expected = simulateCompletion({ model, messages: hello, maxTokens: 4 });
    const started = Date.now();
    const stream = await openaiClient(sim).chat.completions.create({
      model,
      messages: hello,
      max_tokens: 4,
      stream: true,
    });
    const arrivals: number[] = [];
    let text = '';
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content ?? '';
      if (content !== '') arrivals.push(Date.now());
      text += content;
    }
    expect(text).toBe(expected.text);
    expect(arrivals).toHaveLength(4);
    // The 4th content chunk is 3 gaps after the first, which left after the request was sent.
    // Arrival gaps on the client are not reliable (reads coalesce), and Node timers may fire up
    // to a millisecond early by the wall clock, hence the small allowance.
    expect(arrivals[3]! - started).toBeGreaterThanOrEqual(3 * 40 - 3);
  });

  it('drops the pending answer when the client disconnects', async () => {
    sim.configure({ latency: { kind: 'fixed', ms: 60_000 } });
    const controller = new AbortController();
    const arrived = sim.nextCall();
    const pending = openaiClient(sim)
      .chat.completions.create({ model, messages: hello }, { signal: controller.signal })
      .catch((err: unknown) => err);
    expect(await arrived).toEqual(expect.objectContaining({ seq: 1, status: 200 }));
    expect(sim.stats().inFlight).toBe(1);
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    // idle() resolves when the server saw the connection close and cleared the 60 s timer.
    await sim.idle();
    expect(sim.stats()).toEqual(expect.objectContaining({ inFlight: 0, requests: 1 }));
  });
});
