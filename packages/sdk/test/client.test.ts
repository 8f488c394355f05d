import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SwitchyardClient, SwitchyardError } from '../src';

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

test('a submit is retried only when it carries an Idempotency-Key', async () => {
  const client = new SwitchyardClient({ baseUrl, apiKey: 'k' });
  const body = {
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user' as const, content: 'x' }] },
  };
  answers.push(unavailable);
  await expect(client.submit(body)).rejects.toMatchObject({ status: 503 });
  expect(seen).toHaveLength(1);

  seen.length = 0;
  answers.push(unavailable, json(202, job('queued')));
  const { job: submitted, replayed } = await client.submit(body, {
    idempotencyKey: 'k-1',
    waitSeconds: 3,
  });
  expect([submitted.status, replayed, seen.length]).toEqual(['queued', false, 2]);
  expect(seen[1]!.headers).toMatchObject({ 'idempotency-key': 'k-1', prefer: 'wait=3' });
});

test('retries stop after maxRetries', async () => {
  answers.push(unavailable, unavailable, unavailable);
  await expect(
    new SwitchyardClient({ baseUrl, apiKey: 'k', maxRetries: 2 }).get('job_x'),
  ).rejects.toMatchObject({ status: 503 });
  expect(seen).toHaveLength(3);
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
