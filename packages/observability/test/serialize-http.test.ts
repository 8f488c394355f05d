import { createLogger, digestForLog, MAX_LOGGED_VALUE_LENGTH, MemoryLines } from '../src';

/** A request as express hands it over: every header a client or proxy might send. */
const request = {
  method: 'POST',
  url: '/jobs',
  originalUrl: '/v1/jobs?x=1',
  ip: '203.0.113.7',
  socket: { remoteAddress: '127.0.0.1' },
  headers: {
    authorization: 'Bearer sy_live_secret',
    cookie: 'session=abc',
    'x-api-key': 'sk-secret',
    'proxy-authorization': 'Basic c2VjcmV0',
    'x-request-id': 'my-trace-123',
    'x-forwarded-for': '198.51.100.1',
    'user-agent': 'curl/8.5.0',
    'content-type': 'application/json',
    'content-length': '42',
    accept: '*/*',
    prefer: 'wait=30',
    'idempotency-key': 'order-1234-alice@example.com',
  },
};

test('a logged request keeps method, URL, client address and the allowed headers only', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).child({ req: request }).info('request completed');
  expect(sink.lines[0]!.req).toEqual({
    method: 'POST',
    url: '/v1/jobs?x=1',
    remoteAddress: '203.0.113.7',
    headers: {
      'user-agent': 'curl/8.5.0',
      'content-type': 'application/json',
      'content-length': '42',
      accept: '*/*',
      prefer: 'wait=30',
      'idempotency-key': digestForLog('order-1234-alice@example.com'),
    },
  });
});

test('an idempotency key is logged as a digest of it', () => {
  expect(digestForLog('order-1234-alice@example.com')).toMatch(/^sha256:[0-9a-f]{16}$/);
  expect(digestForLog('a')).toBe('sha256:ca978112ca1bbdca');
});

test('long client-chosen values are clipped', () => {
  const sink = new MemoryLines();
  const long = 'a'.repeat(10_000);
  createLogger('api', 'info', sink).info(
    { req: { method: 'GET', url: `/${long}`, headers: { 'user-agent': long } } },
    'request completed',
  );
  const req = sink.lines[0]!.req as { url: string; headers: Record<string, string> };
  expect(req.url).toBe(`/${'a'.repeat(MAX_LOGGED_VALUE_LENGTH - 1)}…`);
  expect(req.headers['user-agent']).toBe(`${'a'.repeat(MAX_LOGGED_VALUE_LENGTH)}…`);
});

test('without express, the socket gives the client address and url the path', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).info(
    { req: { method: 'GET', url: '/healthz', headers: {}, socket: { remoteAddress: '::1' } } },
    'request completed',
  );
  expect(sink.lines[0]!.req).toEqual({
    method: 'GET',
    url: '/healthz',
    remoteAddress: '::1',
    headers: {},
  });
});

test('a logged response is its status only', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).info(
    { res: { statusCode: 401, headers: { 'set-cookie': 'session=abc' }, body: 'x' } },
    'request completed',
  );
  expect(sink.lines[0]!.res).toEqual({ statusCode: 401 });
});

test('the request is not changed by logging it', () => {
  const copy = structuredClone(request);
  createLogger('api', 'info', new MemoryLines()).info({ req: request }, 'request completed');
  expect(request).toEqual(copy);
});
