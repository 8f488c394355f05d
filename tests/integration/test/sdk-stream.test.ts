import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Job, JobStreamEvent } from '@switchyard/core';
import { SwitchyardClient } from '@switchyard/sdk';
import { startStack, type Stack, type TenantHandle } from '../src';

// client.stream() against a running stack. The simulator waits 30 ms between chunks, so a job
// streams for a while in many deltas; the API asks clients to wait 300 ms before reconnecting.

/** A TCP proxy in front of the API whose open connections a test can cut, as a network would. */
class CuttableProxy {
  readonly sockets = new Set<Socket>();
  /** The client side of every connection made through the proxy, in order. */
  readonly connections: Socket[] = [];
  private constructor(readonly server: Server) {}

  static async start(target: number): Promise<CuttableProxy> {
    const server = createServer();
    const proxy = new CuttableProxy(server);
    server.on('connection', (client) => {
      const upstream = connect(target, '127.0.0.1');
      proxy.connections.push(client);
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.on('close', () => proxy.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      // A reset on one side (pipe only forwards a clean end) closes the other too.
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every connection through the proxy is reset, mid-answer or not. */
  cut(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let stack: Stack;
let tenant: TenantHandle;
let proxy: CuttableProxy;
beforeAll(async () => {
  stack = await startStack({
    simulator: { tokenLatencyMs: 30 },
    config: { events: { retry: 300 } },
  });
  tenant = await stack.tenant();
  proxy = await CuttableProxy.start(Number(new URL(stack.api.url).port));
});
afterAll(async () => {
  await proxy.close();
  await stack.close();
});

const body = {
  model: 'openai/gpt-4o-mini',
  input: {
    messages: [{ role: 'user' as const, content: 'Stream a few words please' }],
    max_tokens: 40,
  },
  cache: false,
};

/** Each events request the client made: when, the Last-Event-ID it sent, events seen by then. */
interface EventsRequest {
  at: number;
  lastEventId: string | null;
  seenBefore: number;
}

/** A client through the proxy that records its event-stream requests; `seen` counts events. */
function watchedClient(
  seen: JobStreamEvent[] = [],
  through: CuttableProxy = proxy,
): {
  client: SwitchyardClient;
  requests: EventsRequest[];
} {
  const requests: EventsRequest[] = [];
  const watching: typeof fetch = (input, init) => {
    if (String(input).endsWith('/events')) {
      const lastEventId = new Headers(init?.headers).get('last-event-id');
      requests.push({ at: Date.now(), lastEventId, seenBefore: seen.length });
    }
    return fetch(input, init);
  };
  return {
    client: new SwitchyardClient({ baseUrl: through.url, apiKey: tenant.apiKey, fetch: watching }),
    requests,
  };
}

async function collect(events: AsyncIterable<JobStreamEvent>): Promise<JobStreamEvent[]> {
  const all: JobStreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Status, deltas whose text is the output, and done with the job: a whole stream, in order. */
function expectWholeStream(all: JobStreamEvent[], job: Job): void {
  const deltas = all.flatMap((event) => (event.type === 'delta' ? [event.data] : []));
  expect(all.map((event) => event.type)).toEqual([
    'status',
    'status',
    ...deltas.map(() => 'delta'),
    'done',
  ]);
  expect(all.slice(0, 2).map((event) => event.data)).toEqual([
    { status: 'queued', at: job.created_at },
    { status: 'running', at: job.started_at },
  ]);
  expect(deltas.map((delta) => delta.index)).toEqual(deltas.map((_, i) => i));
  expect(deltas.map((delta) => delta.text).join('')).toBe(job.output!.text);
  expect(all.at(-1)!.data).toMatchObject({ id: job.id, status: 'succeeded', output: job.output });
  expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
}

test('a stream from submit on yields status, every delta and done, then ends', async () => {
  const { job } = await tenant.client.submit(body);
  const all = await collect(tenant.client.stream(job.id));
  const done = await tenant.client.get(job.id);
  expect(all.filter((event) => event.type === 'delta').length).toBeGreaterThan(3);
  expectWholeStream(all, done);
});

test('a connection cut mid-stream is resumed with Last-Event-ID after retry: no gap, no duplicate', async () => {
  const seen: JobStreamEvent[] = [];
  const { client, requests } = watchedClient(seen);
  const { job } = await client.submit(body);
  let cutAt = 0;
  for await (const event of client.stream(job.id)) {
    seen.push(event);
    if (event.type === 'delta' && event.data.index === 2) {
      cutAt = Date.now();
      proxy.cut();
    }
  }
  const done = await tenant.client.get(job.id);
  expectWholeStream(seen, done);
  // What the API kept of this job, read afresh (through the proxy, as its `urls` name it).
  expect(await collect(client.stream(job.id))).toEqual(seen);
  expect(requests.slice(0, 2)).toEqual([
    { at: expect.any(Number), lastEventId: null, seenBefore: 0 },
    // Resumed right after the last event it had yielded: the cut was at the third delta.
    { at: expect.any(Number), lastEventId: seen[4]!.id, seenBefore: 5 },
  ]);
  expect(seen[4]).toMatchObject({ type: 'delta', data: { index: 2 } });
  // The server's `retry: 300` was waited out before reconnecting.
  expect(requests[1]!.at - cutAt).toBeGreaterThanOrEqual(300);
});

test('three cuts in one stream still deliver every event exactly once', async () => {
  const seen: JobStreamEvent[] = [];
  const { client, requests } = watchedClient(seen);
  const { job } = await client.submit(body);
  for await (const event of client.stream(job.id)) {
    seen.push(event);
    if (event.type === 'delta' && [1, 4, 7].includes(event.data.index)) proxy.cut();
  }
  expectWholeStream(seen, await tenant.client.get(job.id));
  // Cuts while events of the same chunk were still to be yielded need no reconnect of their
  // own, so there are one to three; each resumed right after the last event yielded before it.
  expect(requests.length).toBeGreaterThanOrEqual(2);
  expect(requests[0]!.lastEventId).toBeNull();
  for (const request of requests.slice(1)) {
    expect(request.lastEventId).toBe(seen[request.seenBefore - 1]!.id);
  }
});

test('after: starts right after a given event of an ended job', async () => {
  const { job } = await tenant.client.submit(body, { waitSeconds: 20 });
  const all = await collect(tenant.client.stream(job.id));
  const rest = await collect(tenant.client.stream(job.id, { after: all[3]!.id }));
  expect(rest).toEqual(all.slice(4));
});

test('an AbortSignal stops the stream: the iteration rejects with its reason', async () => {
  const { job } = await tenant.client.submit(body);
  const controller = new AbortController();
  const seen: string[] = [];
  const iteration = (async () => {
    for await (const event of tenant.client.stream(job.id, { signal: controller.signal })) {
      seen.push(event.type);
      if (event.type === 'delta') controller.abort(new Error('enough'));
    }
  })();
  await expect(iteration).rejects.toThrow('enough');
  expect(seen.at(-1)).toBe('delta');
  expect(seen).not.toContain('done');
  await tenant.client.wait(job.id);
});

test('breaking out of the loop closes the connection', async () => {
  const { job } = await tenant.client.submit(body);
  const own = await CuttableProxy.start(Number(new URL(stack.api.url).port));
  try {
    const { client } = watchedClient([], own);
    for await (const event of client.stream(job.id)) {
      if (event.type === 'status') break;
    }
    // The stream's connection closes before the job ends (undici may open a spare one to keep).
    const stream = own.connections[0]!;
    if (!stream.closed) await new Promise((resolve) => stream.once('close', resolve));
    expect((await tenant.client.get(job.id)).status).not.toBe('succeeded');
    expect((await tenant.client.wait(job.id)).status).toBe('succeeded');
  } finally {
    await own.close();
  }
});
