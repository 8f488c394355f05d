import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { deliverWebhook, type DeliveryOutcome } from '../src/delivery';
import { type Resolve } from '../src/ssrf';

/** What a receiver saw of one request. */
interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real loopback HTTP server that records requests and counts TCP connections. */
interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  connections: () => number;
  close: () => Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const receivers: Receiver[] = [];

async function startReceiver(handler: Handler): Promise<Receiver> {
  const requests: Received[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { method, url, headers } = req;
      requests.push({ method, url, headers, body: Buffer.concat(chunks).toString('utf8') });
      handler(req, res);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled exchanges would keep close() waiting forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  receivers.push(receiver);
  return receiver;
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const BODY = JSON.stringify({ type: 'job.succeeded', data: { id: 'job_1', n: 'ü' } });
const HEADERS = {
  'webhook-id': 'msg_1',
  'webhook-timestamp': '1700000000',
  'webhook-signature': 'v1,abc=',
};

function send(url: string, extra: Partial<Parameters<typeof deliverWebhook>[0]> = {}) {
  return deliverWebhook({ url, body: BODY, headers: HEADERS, allowPrivate: true, ...extra });
}

const latency = { latencyMs: expect.any(Number) };

describe('deliverWebhook', () => {
  it('2xx: delivered, and the receiver got the exact method, headers and body', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(204).end());
    const outcome = await send(receiver.url);
    expect(outcome).toEqual({ kind: 'delivered', statusCode: 204, ...latency });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(receiver.requests).toHaveLength(1);
    const [received] = receiver.requests;
    expect(received).toMatchObject({ method: 'POST', url: '/hooks', body: BODY });
    expect(received!.headers).toMatchObject({
      ...HEADERS,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
    });
  });

  it('the caller cannot override content-type', async () => {
    const receiver = await startReceiver((_req, res) => res.end('ok'));
    await send(receiver.url, { headers: { ...HEADERS, 'Content-Type': 'text/plain' } });
    expect(receiver.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('3xx: failed with statusCode 301, and the Location target gets zero connections', async () => {
    const elsewhere = await startReceiver((_req, res) => res.end('ok'));
    const receiver = await startReceiver((_req, res) =>
      res.writeHead(301, { location: elsewhere.url }).end(),
    );
    const outcome = await send(receiver.url);
    expect(outcome).toEqual({
      kind: 'failed',
      reason: 'http-status',
      statusCode: 301,
      retryable: true,
      ...latency,
    });
    expect(elsewhere.connections()).toBe(0);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('410: gone', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(410).end('bye'));
    expect(await send(receiver.url)).toEqual({ kind: 'gone', statusCode: 410, ...latency });
  });

  it('500: failed and retryable, with no retryAfterMs', async () => {
    const receiver = await startReceiver((_req, res) =>
      res.writeHead(500, { 'retry-after': '30' }).end('boom'),
    );
    expect(await send(receiver.url)).toEqual({
      kind: 'failed',
      reason: 'http-status',
      statusCode: 500,
      retryable: true,
      ...latency,
    });
  });

  it('404: failed and retryable (the endpoint may come back)', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(404).end());
    expect(await send(receiver.url)).toMatchObject({
      kind: 'failed',
      statusCode: 404,
      retryable: true,
    });
  });

  it('429 with Retry-After: 7 → retryAfterMs 7000', async () => {
    const receiver = await startReceiver((_req, res) =>
      res.writeHead(429, { 'retry-after': '7' }).end(),
    );
    expect(await send(receiver.url)).toEqual({
      kind: 'failed',
      reason: 'http-status',
      statusCode: 429,
      retryable: true,
      retryAfterMs: 7_000,
      ...latency,
    });
  });

  it('503 with an HTTP-date Retry-After → ms from the injected now', async () => {
    const now = Date.UTC(2030, 0, 2, 3, 4, 5);
    const retryAt = new Date(now + 90_000).toUTCString();
    const receiver = await startReceiver((_req, res) =>
      res.writeHead(503, { 'retry-after': retryAt }).end(),
    );
    const outcome = await send(receiver.url, { now: () => now });
    expect(outcome).toMatchObject({ kind: 'failed', statusCode: 503, retryAfterMs: 90_000 });
  });

  it('503 with a Retry-After date in the past → retryAfterMs 0; garbage → none', async () => {
    const now = Date.UTC(2030, 0, 2);
    const values = [new Date(now - 60_000).toUTCString(), 'soon', '-5'];
    const receiver = await startReceiver((_req, res) =>
      res.writeHead(503, { 'retry-after': values[receiver.requests.length - 1]! }).end(),
    );
    const outcomes: DeliveryOutcome[] = [];
    for (let i = 0; i < values.length; i += 1)
      outcomes.push(await send(receiver.url, { now: () => now }));
    expect(outcomes[0]).toMatchObject({ statusCode: 503, retryAfterMs: 0 });
    expect(outcomes[1]).not.toHaveProperty('retryAfterMs');
    expect(outcomes[2]).not.toHaveProperty('retryAfterMs');
  });

  it('a receiver that never answers: failed with a timeout at timeoutMs', async () => {
    const receiver = await startReceiver(() => undefined);
    const outcome = await send(receiver.url, { timeoutMs: 200 });
    expect(outcome).toEqual({
      kind: 'failed',
      reason: 'timeout',
      retryable: true,
      error: {
        code: 'ETIMEDOUT',
        message: 'webhook delivery timed out after 200 ms (waiting for the response)',
      },
      ...latency,
    });
    expect(receiver.requests).toHaveLength(1);
  });

  it('a receiver that sends headers then stalls the body: cut at the deadline too', async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
    });
    const outcome = await send(receiver.url, { timeoutMs: 200 });
    expect(outcome).toEqual({
      kind: 'failed',
      reason: 'timeout',
      retryable: true,
      statusCode: 200,
      error: {
        code: 'ETIMEDOUT',
        message: 'webhook delivery timed out after 200 ms (reading the body)',
      },
      ...latency,
    });
  });

  it('a receiver that trickles the body byte by byte is still cut at the deadline', async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      const tick = setInterval(
        () => (res.writableEnded ? clearInterval(tick) : res.write('x')),
        20,
      );
      res.on('close', () => clearInterval(tick));
    });
    const outcome = await send(receiver.url, { timeoutMs: 200 });
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'timeout', statusCode: 200 });
  });

  it('a receiver that resets mid-body: failed, retryable', async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial', () => res.socket?.destroy());
    });
    const outcome = await send(receiver.url);
    expect(outcome).toMatchObject({
      kind: 'failed',
      reason: 'network',
      retryable: true,
      statusCode: 200,
    });
  });

  it('connection refused (a closed port): failed, retryable', async () => {
    const port = await closedPort();
    const outcome = await send(`http://127.0.0.1:${port}/hooks`);
    expect(outcome).toEqual({
      kind: 'failed',
      reason: 'network',
      retryable: true,
      error: { code: 'ECONNREFUSED', message: expect.stringContaining('ECONNREFUSED') },
      ...latency,
    });
  });

  it('allowPrivate false: a loopback target is refused, and no connection reaches it', async () => {
    const receiver = await startReceiver((_req, res) => res.end('ok'));
    const outcomes = [
      await send(receiver.url, { allowPrivate: false }),
      await send(`http://localhost:${receiver.port}/hooks`, { allowPrivate: false }),
    ];
    for (const outcome of outcomes) {
      expect(outcome).toEqual({
        kind: 'failed',
        reason: 'ssrf',
        retryable: false,
        error: {
          code: 'ESSRF',
          message: expect.stringMatching(/^SSRF guard: webhook URL .*not public/),
        },
        ...latency,
      });
    }
    expect(receiver.connections()).toBe(0);
  });

  it('allowPrivate false: a hostname resolving to loopback is refused at connect time', async () => {
    const receiver = await startReceiver((_req, res) => res.end('ok'));
    // Stands in for public DNS pointing a public-looking name at loopback (rebinding).
    const resolve: Resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const outcome = await send(`http://hooks.example.com:${receiver.port}/hooks`, {
      allowPrivate: false,
      resolve,
    });
    expect(outcome).toEqual({
      kind: 'failed',
      reason: 'ssrf',
      retryable: false,
      error: {
        code: 'ESSRF',
        message:
          'SSRF guard: host "hooks.example.com" resolves to 127.0.0.1, which is not public (loopback)',
      },
      ...latency,
    });
    expect(receiver.connections()).toBe(0);
  });

  it('a malformed or non-http URL: failed, not retryable', async () => {
    for (const url of ['not a url', 'ftp://example.com/hooks']) {
      expect(await send(url)).toEqual({
        kind: 'failed',
        reason: 'invalid-url',
        retryable: false,
        error: { code: 'EINVALIDURL', message: expect.stringContaining('webhook URL') },
        ...latency,
      });
    }
  });

  it('a header Node refuses to send: failed as invalid-request, not retryable', async () => {
    const receiver = await startReceiver((_req, res) => res.end('ok'));
    const outcome = await send(receiver.url, { headers: { 'x-bad': 'a\r\nb' } });
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'invalid-request', retryable: false });
    expect(receiver.connections()).toBe(0);
  });

  it('keep-alive: two sequential deliveries share ONE TCP connection', async () => {
    const receiver = await startReceiver((_req, res) => res.end('{"ok":true}'));
    const first = await send(receiver.url);
    const second = await send(receiver.url);
    expect([first.kind, second.kind]).toEqual(['delivered', 'delivered']);
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.connections()).toBe(1);
  });

  it('a response body over 64 KiB: delivered, and that socket is not reused', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const receiver = await startReceiver((_req, res) => res.end(big));
    expect(await send(receiver.url)).toMatchObject({ kind: 'delivered', statusCode: 200 });
    expect(await send(receiver.url)).toMatchObject({ kind: 'delivered', statusCode: 200 });
    expect(receiver.connections()).toBe(2);
  });
});
