import { JobStreamEvent } from '@switchyard/core';
import { SseReader, startStack, type Stack, type TenantHandle } from '../src';

// A call streams from the provider when someone listens to its job's events, or when it starts
// right after its submit (the submitter is about to listen), and only then: no config switch.
// Each provider's stream arrives as deltas, in order, adding up to the result.

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  // No worker yet: each test opens its job's events before a worker runs it. No grace: only a
  // listener makes a call stream here. The retired `worker.stream_deltas` switch is still
  // accepted (and ignored), so old config files load.
  stack = await startStack({
    worker: false,
    simulator: { tokenLatencyMs: 20 },
    config: { worker: { stream_deltas: false }, events: { listen_grace: 0 } },
  });
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

const input = { messages: [{ role: 'user' as const, content: 'Stream a few words please' }] };

test.each(['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest'])(
  '%s: with a listener the call streams, and its deltas come in order and add up to the result',
  async (model) => {
    const { job } = await tenant.client.submit({ model, input, cache: false });
    const reader = await SseReader.open(`${stack.api.url}/v1/jobs/${job.id}/events`, {
      authorization: `Bearer ${tenant.apiKey}`,
    });
    await reader.until((frame) => frame.event === 'status');
    const worker = await stack.startWorker();
    try {
      const frames = await reader.rest();
      const deltas = frames
        .filter((frame) => frame.event === 'delta')
        .map((frame) =>
          JobStreamEvent.parse({ type: 'delta', id: frame.id, data: JSON.parse(frame.data!) }),
        )
        .map((event) => event.data as { index: number; text: string });
      const done = await tenant.client.get(job.id);
      expect(done.status).toBe('succeeded');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.map((delta) => delta.index)).toEqual(deltas.map((_, i) => i));
      expect(deltas.map((delta) => delta.text).join('')).toBe(done.output!.text);
      expect(
        stack.simulator
          .calls()
          .filter((call) => call.model === done.served_by!.model)
          .at(-1)!.stream,
      ).toBe(true);
    } finally {
      await worker.close();
    }
  },
);

test('without a listener a call that is not fresh does not stream: a worker pays for deltas only when asked', async () => {
  const { job } = await tenant.client.submit({ model: 'openai/gpt-4o-mini', input, cache: false });
  const before = stack.simulator.calls().length;
  const worker = await stack.startWorker();
  try {
    const done = await tenant.client.waitFor(job.id);
    expect(done.status).toBe('succeeded');
    expect(
      stack.simulator
        .calls()
        .slice(before)
        .map((call) => call.stream),
    ).toEqual([false]);
  } finally {
    await worker.close();
  }
});

test('an interactive call that starts right after its submit streams before anyone listens, for the submitter to catch; batch work does not', async () => {
  const fresh = await startStack({ simulator: { tokenLatencyMs: 20 } });
  try {
    const owner = await fresh.tenant();
    const { job } = await owner.client.submit({ model: 'openai/gpt-4o-mini', input, cache: false });
    const done = await owner.client.waitFor(job.id);
    expect(fresh.simulator.calls().map((call) => call.stream)).toEqual([true]);
    // Replayed afterwards: its deltas were kept with its events.
    const reader = await SseReader.open(`${fresh.api.url}/v1/jobs/${job.id}/events`, {
      authorization: `Bearer ${owner.apiKey}`,
    });
    const texts = (await reader.rest())
      .filter((frame) => frame.event === 'delta')
      .map((frame) => (JSON.parse(frame.data!) as { text: string }).text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe(done.output!.text);

    // Fresh too, but nobody watches these run: a batch-priority job and a batch's items.
    const before = fresh.simulator.calls().length;
    const lane = await owner.client.submit({
      model: 'openai/gpt-4o-mini',
      input,
      cache: false,
      priority: 'batch',
    });
    const batch = await owner.client.batches.create([
      { custom_id: 'a', model: 'openai/gpt-4o-mini', input, cache: false },
      { custom_id: 'b', model: 'openai/gpt-4o-mini', input, cache: false },
    ]);
    expect((await owner.client.waitFor(lane.job.id)).status).toBe('succeeded');
    expect((await owner.client.batches.wait(batch.id)).request_counts.completed).toBe(2);
    expect(
      fresh.simulator
        .calls()
        .slice(before)
        .map((call) => call.stream),
    ).toEqual([false, false, false]);
  } finally {
    await fresh.close();
  }
});
