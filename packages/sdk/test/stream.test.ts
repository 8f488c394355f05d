import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionError, NotFoundError, SwitchyardClient } from '../src';

let server: Server;
let baseUrl: string;
let handle: (req: IncomingMessage, res: ServerResponse) => void;
beforeAll(async () => {
  server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const status = (id: string, value: string) =>
  `id: ${id}\nevent: status\ndata: {"status":"${value}","at":"2026-11-22T00:00:00.000Z"}\n\n`;

test('breaking out of the loop closes the connection at once', async () => {
  const closed = new Promise<void>((resolve) => {
    handle = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`retry: 1000\n\n${status('1-0', 'queued')}`);
      req.socket.on('close', resolve);
    };
  });
  const client = new SwitchyardClient({ baseUrl, apiKey: 'k' });
  for await (const event of client.stream('job_x')) {
    expect(event).toEqual({
      type: 'status',
      id: '1-0',
      data: { status: 'queued', at: '2026-11-22T00:00:00.000Z' },
    });
    break;
  }
  // The server sees the connection close without anything else happening.
  await closed;
});

/** Each request the server got: its Last-Event-ID, and when. */
const requests: Array<{ lastEventId: string | undefined; at: number }> = [];
beforeEach(() => (requests.length = 0));

/** An SSE answer of `frames`, then the server closes the connection (a drop, unless done). */
const answering =
  (...answers: string[]) =>
  (req: IncomingMessage, res: ServerResponse) => {
    requests.push({
      lastEventId: req.headers['last-event-id'] as string | undefined,
      at: Date.now(),
    });
    const frames = answers[requests.length - 1] ?? 'retry: 50\n\n';
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(frames);
  };

test('a drop is resumed after the server’s retry with Last-Event-ID; other event types are skipped', async () => {
  handle = answering(
    `retry: 200\n\n${status('1-0', 'queued')}`,
    `retry: 100\n\nid: 1-1\nevent: future\ndata: {}\n\n${status('1-2', 'running')}`,
    `${status('1-3', 'succeeded')}`,
  );
  const client = new SwitchyardClient({ baseUrl, apiKey: 'k' });
  const ids: string[] = [];
  // No `done` ever comes: after the third event every connection closes empty.
  const error = await (async () => {
    for await (const event of client.stream('job_x', { maxReconnects: 3 })) ids.push(event.id);
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectionError);
  expect((error as Error).message).toBe(
    'event stream of job_x dropped 4 times in a row (closed before done)',
  );
  expect(ids).toEqual(['1-0', '1-2', '1-3']);
  // Each reconnect resumed after the last event received.
  expect(requests.map((r) => r.lastEventId)).toEqual([
    undefined,
    '1-0',
    '1-2',
    '1-3',
    '1-3',
    '1-3',
  ]);
  // Each reconnect waited the `retry:` last given: 200 ms, then 100 ms.
  expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(200);
  expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(100);
});

test('a stream ends after done, even when the connection stays open', async () => {
  handle = (req, res) => {
    requests.push({ lastEventId: undefined, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(
      `retry: 1000\n\n${status('1-0', 'running')}id: 1-1\nevent: done\ndata: ${readFileSync(join(__dirname, 'fixtures/job.json'), 'utf8').replace(/\n/g, '')}\n\n`,
    );
  };
  const types: string[] = [];
  for await (const event of new SwitchyardClient({ baseUrl, apiKey: 'k' }).stream('job_x'))
    types.push(event.type);
  expect(types).toEqual(['status', 'done']);
  expect(requests).toHaveLength(1);
});

test('an error answer on resume ends the stream with its typed error', async () => {
  handle = (req, res) => {
    requests.push({ lastEventId: undefined, at: Date.now() });
    if (requests.length === 1) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return res.end(`retry: 10\n\n${status('1-0', 'queued')}`);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { type: 'not_found', message: 'gone', request_id: 'req_1' } }));
  };
  const seen: string[] = [];
  const error = await (async () => {
    for await (const event of new SwitchyardClient({ baseUrl, apiKey: 'k' }).stream('job_x'))
      seen.push(event.id);
  })().catch((e: unknown) => e);
  expect(seen).toEqual(['1-0']);
  expect(error).toBeInstanceOf(NotFoundError);
});
