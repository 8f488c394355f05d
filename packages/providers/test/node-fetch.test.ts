import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeFetch, onRequestSent } from '../src';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let url: string;
let handler: Handler;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

test('sends method, headers and body; returns status, headers and body', async () => {
  handler = (req, body, res) => {
    res.writeHead(201, 'Made', {
      'content-type': 'application/json',
      'x-echo': req.headers['x-test'] ?? '',
    });
    res.end(JSON.stringify({ method: req.method, body }));
  };
  const response = await nodeFetch(`${url}/path`, {
    method: 'POST',
    headers: new Headers({ 'x-test': 'yes', 'content-type': 'application/json' }),
    body: '{"a":1}',
  });
  expect([response.status, response.statusText, response.headers.get('x-echo')]).toEqual([
    201,
    'Made',
    'yes',
  ]);
  expect(await response.json()).toEqual({ method: 'POST', body: '{"a":1}' });
});

test('repeated headers are kept', async () => {
  handler = (_req, _body, res) => {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.end();
  };
  expect((await nodeFetch(url)).headers.getSetCookie()).toEqual(['a=1', 'b=2']);
});

test('204 has no body', async () => {
  handler = (_req, _body, res) => {
    res.writeHead(204).end();
  };
  const response = await nodeFetch(url, { method: 'DELETE' });
  expect([response.status, response.body]).toEqual([204, null]);
});

test('an event stream arrives as it is written, not when it ends', async () => {
  let finish!: () => void;
  handler = (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'Text/Event-Stream; charset=utf-8' });
    res.write('data: one\n\n');
    finish = () => res.end('data: two\n\n');
  };
  const response = await nodeFetch(url);
  const reader = response.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
  finish();
  const second = await reader.read();
  expect(new TextDecoder().decode(second.value)).toBe('data: two\n\n');
});

test('an abort rejects with an AbortError, and a refused connection with its code', async () => {
  handler = () => undefined; // never answers
  const controller = new AbortController();
  const pending = nodeFetch(url, { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await expect(nodeFetch(`http://127.0.0.1:${port}`)).rejects.toMatchObject({
    code: 'ECONNREFUSED',
  });
});

test('connections are kept alive and reused', async () => {
  const ports = new Set<number>();
  handler = (req, _body, res) => {
    ports.add(req.socket.remotePort!);
    res.end('ok');
  };
  for (let i = 0; i < 5; i++) expect(await (await nodeFetch(url)).text()).toBe('ok');
  expect(ports.size).toBe(1);
});

test('a redirect is returned, not followed', async () => {
  handler = (_req, _body, res) => {
    res.writeHead(307, { location: '/elsewhere' }).end();
  };
  const response = await nodeFetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' });
  expect([response.status, response.headers.get('location')]).toEqual([307, '/elsewhere']);
});

test('a Request object goes to the global fetch with everything it carries', async () => {
  let seen: { method?: string; body?: string; header?: string } = {};
  handler = (req, body, res) => {
    seen = { method: req.method, body, header: req.headers['x-kept'] as string };
    res.end('ok');
  };
  const response = await nodeFetch(
    new Request(url, { method: 'PUT', body: 'payload', headers: { 'x-kept': 'yes' } }),
  );
  expect([await response.text(), seen]).toEqual([
    'ok',
    { method: 'PUT', body: 'payload', header: 'yes' },
  ]);
});

test('onRequestSent fires once the request has left, before the answer comes', async () => {
  const events: string[] = [];
  let answer!: () => void;
  const received = new Promise<void>((resolve) => {
    handler = (_req, body, res) => {
      events.push(`server got ${body}`);
      answer = () => res.end('ok');
      resolve();
    };
  });
  const call = onRequestSent(
    () => events.push('sent'),
    () => nodeFetch(url, { method: 'POST', body: 'hello' }),
  );
  await received;
  events.push('answering');
  answer();
  expect(await (await call).text()).toBe('ok');
  expect(events).toEqual(['sent', 'server got hello', 'answering']);
});
