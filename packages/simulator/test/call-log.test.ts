import { simulateCompletion, type Simulator, startSimulator } from '../src/index';
import { ANTHROPIC_KEY, OPENAI_KEY, anthropicClient, failure, openaiClient } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.configure({ callLogSize: null });
  sim.reset();
});

describe('call log', () => {
  it('records each call with provider, model, stream, status, fault, tokens and a masked key', async () => {
    const before = Date.now();
    const messages = [{ role: 'user' as const, content: 'Hello' }];
    await openaiClient(sim).chat.completions.create({ model: 'gpt-4o', messages });
    const stream = anthropicClient(sim).messages.stream({
      model: 'claude-x',
      max_tokens: 3,
      messages,
    });
    await stream.finalMessage();
    await failure(
      openaiClient(sim).chat.completions.create(
        { model: 'gpt-4o', messages },
        { headers: { 'x-simulator-fault': '502' } },
      ),
    );
    const plain = simulateCompletion({ model: 'gpt-4o', messages });
    const capped = simulateCompletion({ model: 'claude-x', messages, maxTokens: 3 });
    const calls = sim.calls();
    expect(calls).toEqual([
      {
        seq: 1,
        at: expect.any(Number) as number,
        provider: 'openai',
        model: 'gpt-4o',
        stream: false,
        status: 200,
        fault: null,
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
        inputTokens: plain.inputTokens,
        outputTokens: plain.outputTokens,
        apiKey: OPENAI_KEY.slice(-4),
      },
      expect.objectContaining({
        seq: 2,
        provider: 'anthropic',
        model: 'claude-x',
        stream: true,
        status: 200,
        inputTokens: capped.inputTokens,
        outputTokens: 3,
        apiKey: ANTHROPIC_KEY.slice(-4),
      }),
      expect.objectContaining({ seq: 3, status: 502, fault: '502', outputTokens: 0 }),
    ]);
    expect(calls[0]?.at).toBeGreaterThanOrEqual(before);
    expect(calls[1]!.at).toBeGreaterThanOrEqual(calls[0]!.at);
    expect(calls[2]?.requestHash).toBe(calls[0]?.requestHash);
    expect(calls[1]?.requestHash).not.toBe(calls[0]?.requestHash);
  });

  it('is a ring buffer bounded by callLogSize that keeps the newest calls', async () => {
    sim.configure({ callLogSize: 3 });
    const client = openaiClient(sim);
    for (let i = 0; i < 7; i++) {
      await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: `n${i}` }],
      });
    }
    expect(sim.calls().map((c) => c.seq)).toEqual([5, 6, 7]);
    expect(sim.stats().requests).toBe(7);
    sim.configure({ callLogSize: 2 });
    expect(sim.calls().map((c) => c.seq)).toEqual([6, 7]);
    sim.configure({ callLogSize: 0 });
    await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(sim.calls()).toEqual([]);
  });
});
