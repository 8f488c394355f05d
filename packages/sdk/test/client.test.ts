import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthenticationError,
  BadRequestError,
  BudgetExceededError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  SwitchyardClient,
  SwitchyardError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from '../src';

let server: Server;
let baseUrl: string;
let answers: Array<(req: IncomingMessage, res: ServerResponse) => void>;
const seen: Array<{
  method: string;
  url: string;
  at: number;
  headers: IncomingMessage['headers'];
}> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, at: Date.now(), headers: req.headers });
    req.resume();
    req.on('end', () => (answers.shift() ?? notFound)(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
const notFound = json(404, { error: { type: 'not_found', message: 'nope', request_id: 'req_1' } });
const unavailable = json(
  503,
  { error: { type: 'service_unavailable', message: 'down', request_id: 'req_2' } },
  { 'retry-after': '0.2' },
);
const job = (status: string) => ({
  id: 'job_00000000000000000000000000',
  object: 'job',
  status,
  model: 'openai/gpt-4o-mini',
  priority: 'interactive',
  served_by: null,
  output: null,
  usage: null,
  cached: false,
  attempts: [],
  error: null,
  metrics: { queue_ms: null, run_ms: null, total_ms: null },
  created_at: '2026-11-22T00:00:00.000Z',
  started_at: null,
  completed_at: null,
  deadline_at: null,
  metadata: {},
  urls: { get: 'g', cancel: 'c', events: 'e' },
});

test('an error answer becomes a SwitchyardError with the contract’s fields', async () => {
  answers.push(notFound);
  const client = new SwitchyardClient({ baseUrl, apiKey: 'sy_live_x' });
  const error = await client.get('job_x').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SwitchyardError);
  expect(error).toMatchObject({
    status: 404,
    type: 'not_found',
    message: 'nope',
    requestId: 'req_1',
  });
  expect(seen[0]!.headers.authorization).toBe('Bearer sy_live_x');
});

test('reads are retried on 503, not before Retry-After', async () => {
  answers.push(unavailable, json(200, job('running')));
  const result = await new SwitchyardClient({ baseUrl, apiKey: 'k' }).get('job_x', {
    waitSeconds: 5,
  });
  expect(result.status).toBe('running');
  expect(seen.map((s) => s.url)).toEqual(['/v1/jobs/job_x?wait=5', '/v1/jobs/job_x?wait=5']);
  expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(200);
});

test('every submit carries an Idempotency-Key, so its retries send the same key', async () => {
  const client = new SwitchyardClient({ baseUrl, apiKey: 'k' });
  const body = {
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user' as const, content: 'x' }] },
  };
  answers.push(unavailable, json(202, job('queued')));
  const { job: submitted, replayed } = await client.submit(body);
  expect([submitted.status, replayed, seen.length]).toEqual(['queued', false, 2]);
  const [first, second] = seen.map((s) => s.headers['idempotency-key']);
  expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(second).toBe(first);

  seen.length = 0;
  answers.push(json(200, job('queued'), { 'idempotent-replayed': 'true' }));
  const again = await client.submit(body, { idempotencyKey: 'k-1', waitSeconds: 3 });
  expect(again.replayed).toBe(true);
  expect(seen[0]!.headers).toMatchObject({ 'idempotency-key': 'k-1', prefer: 'wait=3' });
});

test('a 429 is retried after its Retry-After; with no retries left it is a RateLimitError', async () => {
  const limited = json(
    429,
    { error: { type: 'rate_limited', message: 'slow down', request_id: 'req_3' } },
    { 'retry-after': '0.2' },
  );
  answers.push(limited, json(200, job('queued')));
  await new SwitchyardClient({ baseUrl, apiKey: 'k' }).get('job_x');
  expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(200);

  answers.push(limited);
  const error = await new SwitchyardClient({ baseUrl, apiKey: 'k', maxRetries: 0 })
    .get('job_x')
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RateLimitError);
  expect(error).toMatchObject({ status: 429, type: 'rate_limited', retryAfter: 0.2 });
});

test('each status is its own error class; an answer not in the contract’s shape keeps its status', async () => {
  const client = new SwitchyardClient({ baseUrl, apiKey: 'k', maxRetries: 0 });
  const cases: Array<[number, string, unknown]> = [
    [400, 'invalid_request', BadRequestError],
    [401, 'authentication_error', AuthenticationError],
    [402, 'budget_exceeded', BudgetExceededError],
    [403, 'permission_denied', PermissionDeniedError],
    [404, 'not_found', NotFoundError],
    [409, 'conflict', ConflictError],
    [413, 'payload_too_large', PayloadTooLargeError],
    [415, 'unsupported_media_type', UnsupportedMediaTypeError],
    [422, 'idempotency_mismatch', UnprocessableEntityError],
    [500, 'internal_error', InternalServerError],
    [503, 'service_unavailable', ServiceUnavailableError],
  ];
  for (const [status, type, ErrorClass] of cases) {
    answers.push(json(status, { error: { type, message: 'm', request_id: 'req_9' } }));
    const error = await client.cancel('job_x').catch((e: unknown) => e);
    expect([error instanceof (ErrorClass as typeof SwitchyardError), error]).toEqual([
      true,
      expect.objectContaining({ status, type, requestId: 'req_9' }),
    ]);
  }
  answers.push((_req, res) =>
    res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'),
  );
  const proxy = await client.cancel('job_x').catch((e: unknown) => e);
  expect(proxy).toBeInstanceOf(InternalServerError);
  expect(proxy).toMatchObject({
    status: 502,
    message: 'HTTP 502: <h1>Bad gateway</h1>',
    requestId: null,
  });
});

test('no answer at all is a ConnectionError with status 0', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const client = new SwitchyardClient({ baseUrl: url, apiKey: 'k', maxRetries: 0 });
  const error = await client.get('job_x').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectionError);
  expect(error).toMatchObject({ status: 0, type: 'network_error' });
  expect((error as Error).message).toBe(`cannot reach ${url} (ECONNREFUSED)`);
});

test('retries stop after maxRetries', async () => {
  answers.push(unavailable, unavailable, unavailable);
  await expect(
    new SwitchyardClient({ baseUrl, apiKey: 'k', maxRetries: 2 }).get('job_x'),
  ).rejects.toMatchObject({ status: 503 });
  expect(seen).toHaveLength(3);
});

test('wait gives up with a TimeoutError', async () => {
  answers.push(json(200, job('running')));
  const error = await new SwitchyardClient({ baseUrl, apiKey: 'k' })
    .wait('job_x', { timeoutMs: 1 })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TimeoutError);
  expect(error).toMatchObject({
    status: 0,
    type: 'timeout',
    message: 'job job_x is still running after 1 ms',
  });
  expect(seen.map((s) => s.url)).toEqual(['/v1/jobs/job_x?wait=1']);
});

test('waitFor long-polls back to back until the job ends', async () => {
  answers.push(json(200, job('running')), json(200, job('succeeded')));
  const polls: string[] = [];
  const done = await new SwitchyardClient({ baseUrl, apiKey: 'k' }).waitFor('job_x', {
    onPoll: (j) => polls.push(j.status),
  });
  expect([done.status, polls]).toEqual(['succeeded', ['running', 'succeeded']]);
  expect(seen.map((s) => s.url)).toEqual(['/v1/jobs/job_x?wait=60', '/v1/jobs/job_x?wait=60']);
});

test('a body that is not the contract’s shape is refused, not passed on', async () => {
  answers.push(json(200, { id: 'job_x', status: 'teleported' }));
  await expect(new SwitchyardClient({ baseUrl, apiKey: 'k' }).get('job_x')).rejects.toThrow(
    /status/,
  );
});
