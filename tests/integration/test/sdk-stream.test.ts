import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Job, JobStreamEvent } from '@switchyard/core';
import { SwitchyardClient } from '@switchyard/sdk';
import { startStack, type Stack, type TenantHandle } from '../src';

// client.stream() against a running stack. The simulator waits 30 ms between chunks, so a job
// streams for a while in many deltas; the API asks clients to wait 300 ms before reconnecting.
// A call streams deltas when someone listens as it starts, so each test submits with no worker
// running, opens its stream, and starts a worker once the stream has shown `queued`.

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
    worker: false,
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

/**
 * Submits a job, streams it with `client`, and starts a worker once the stream is open; calls
 * `onEvent` with each event (and the client's events so far) until the stream ends or
 * `onEvent` returns 'stop'.
 */
async function streamFromSubmit(
  client: SwitchyardClient,
  onEvent: (event: JobStreamEvent, seen: JobStreamEvent[]) => 'stop' | void = () => undefined,
  seen: JobStreamEvent[] = [],
  options: { signal?: AbortSignal } = {},
): Promise<{ job: Job; seen: JobStreamEvent[] }> {
  const { job } = await tenant.client.submit(body);
  let worker: Awaited<ReturnType<Stack['startWorker']>> | undefined;
  try {
    for await (const event of client.stream(job.id, options)) {
      seen.push(event);
      if (worker === undefined) worker = await stack.startWorker();
      if (onEvent(event, seen) === 'stop') break;
    }
    return { job: await tenant.client.wait(job.id), seen };
  } finally {
    await worker?.close();
  }
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
  const { job, seen } = await streamFromSubmit(tenant.client);
  expect(seen.filter((event) => event.type === 'delta').length).toBeGreaterThan(3);
  expectWholeStream(seen, job);
});

test('a connection cut mid-stream is resumed with Last-Event-ID after retry: no gap, no duplicate', async () => {
  const seen: JobStreamEvent[] = [];
  const { client, requests } = watchedClient(seen);
  let cutAt = 0;
  const { job } = await streamFromSubmit(
    client,
    (event) => {
      if (event.type === 'delta' && event.data.index === 2) {
        cutAt = Date.now();
        proxy.cut();
      }
    },
    seen,
  );
  expectWholeStream(seen, job);
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
  const { job } = await streamFromSubmit(
    client,
    (event) => {
      if (event.type === 'delta' && [1, 4, 7].includes(event.data.index)) proxy.cut();
    },
    seen,
  );
  expectWholeStream(seen, job);
  // Cuts while events of the same chunk were still to be yielded need no reconnect of their
  // own, so there are one to three; each resumed right after the last event yielded before it.
  expect(requests.length).toBeGreaterThanOrEqual(2);
  expect(requests[0]!.lastEventId).toBeNull();
  for (const request of requests.slice(1)) {
    expect(request.lastEventId).toBe(seen[request.seenBefore - 1]!.id);
  }
});

test('after: starts right after a given event of an ended job', async () => {
  const { job, seen } = await streamFromSubmit(tenant.client);
  const rest = await collect(tenant.client.stream(job.id, { after: seen[3]!.id }));
  expect(rest).toEqual(seen.slice(4));
  expect(rest.at(-1)!.type).toBe('done');
});

test('an AbortSignal stops the stream: the iteration rejects with its reason', async () => {
  const controller = new AbortController();
  const streaming = streamFromSubmit(
    tenant.client,
    (event) => void (event.type === 'delta' && controller.abort(new Error('enough'))),
    [],
    { signal: controller.signal },
  );
  await expect(streaming).rejects.toThrow('enough');
});

test('breaking out of the loop closes the connection', async () => {
  const { job } = await tenant.client.submit(body);
  const own = await CuttableProxy.start(Number(new URL(stack.api.url).port));
  try {
    const { client } = watchedClient([], own);
    for await (const event of client.stream(job.id)) {
      expect(event).toMatchObject({ type: 'status', data: { status: 'queued' } });
      break;
    }
    // The stream's connection closes at once, though the job has not even started (undici may
    // open a spare connection to keep, so only the first one is awaited).
    const stream = own.connections[0]!;
    if (!stream.closed) await new Promise((resolve) => stream.once('close', resolve));
    expect((await tenant.client.get(job.id)).status).toBe('queued');
  } finally {
    await own.close();
  }
});
