import { Redis } from 'ioredis';
import { startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  // No worker yet: each test subscribes to its job's deltas before a worker runs it.
  stack = await startStack({ worker: false, config: { worker: { stream_deltas: true } } });
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

test.each(['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest'])(
  '%s: the output streams through Redis as it comes, in order, and adds up to the result',
  async (model) => {
    const { job } = await tenant.client.submit({
      model,
      input: { messages: [{ role: 'user', content: 'Stream a few words please' }] },
      cache: false,
    });
    const listener = new Redis(stack.redis.url);
    const deltas: Array<{ index: number; text: string }> = [];
    listener.on('message', (_channel: string, message: string) => deltas.push(JSON.parse(message)));
    await listener.subscribe(stack.api.deps.keys.jobDeltas(job.id));
    const worker = await stack.startWorker();
    const done = await tenant.client.waitFor(job.id);
    await worker.close();
    // Deltas are published before the job's final write, and Redis delivers in order.
    listener.disconnect();
    expect(done.status).toBe('succeeded');
    expect(deltas.map((delta) => delta.index)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((delta) => delta.text).join('')).toBe(done.output!.text);
  },
);
