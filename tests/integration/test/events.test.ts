import { type Job, JobStreamEvent } from '@switchyard/core';
import { startApiServer, type ApiServer } from '@switchyard/api';
import { createLogger } from '@switchyard/observability';
import { Redis } from 'ioredis';
import {
  awaitJobEvent,
  type SseFrame,
  SseReader,
  startStack,
  type Stack,
  type TenantHandle,
} from '../src';

// GET /v1/jobs/{id}/events on real parts: a real Redis, the worker streaming from the simulator
// (30 ms between chunks, so a call streams for a while in several deltas), real HTTP.

let stack: Stack;
let tenant: TenantHandle;
let other: TenantHandle;
beforeAll(async () => {
  // No worker at first: each test opens its stream on a queued job, then starts one.
  // A short keep-alive, so one test can see it without waiting 15 s; no grace for fresh jobs,
  // so a call streams only for a job someone listens to (streaming.test.ts covers the grace).
  stack = await startStack({
    worker: false,
    simulator: { tokenLatencyMs: 30 },
    config: { events: { keep_alive: 300, listen_grace: 0 } },
  });
  tenant = await stack.tenant();
  other = await stack.tenant();
});
afterAll(() => stack.close());

const body = {
  model: 'openai/gpt-4o-mini',
  input: {
    messages: [{ role: 'user' as const, content: 'Stream a few words please' }],
    max_tokens: 40,
  },
  cache: false,
};

function open(
  jobId: string,
  headers: Record<string, string> = {},
  query = '',
  api: { url: string } = stack.api,
  key = tenant.apiKey,
): Promise<SseReader> {
  return SseReader.open(`${api.url}/v1/jobs/${jobId}/events${query}`, {
    authorization: `Bearer ${key}`,
    ...headers,
  });
}

/** The contract's event of a frame; throws on one that is not an event. */
function eventOf(frame: SseFrame): JobStreamEvent {
  return JobStreamEvent.parse({ type: frame.event, id: frame.id, data: JSON.parse(frame.data!) });
}

const events = (frames: SseFrame[]) => frames.filter((f) => f.event).map(eventOf);
const isDelta = (frame: SseFrame) => frame.event === 'delta';

/** A full, exact check of a finished job's events. */
function expectWholeStream(all: JobStreamEvent[], job: Job, minDeltas = 2): void {
  const types = all.map((event) => event.type);
  const deltas = all.filter((event) => event.type === 'delta');
  expect(types).toEqual(['status', 'status', ...deltas.map(() => 'delta'), 'done']);
  expect(all.slice(0, 2).map((event) => event.data)).toEqual([
    { status: 'queued', at: job.created_at },
    { status: 'running', at: job.started_at },
  ]);
  expect(deltas.length).toBeGreaterThanOrEqual(minDeltas);
  expect(deltas.map((delta) => delta.data.index)).toEqual(deltas.map((_, i) => i));
  expect(deltas.map((delta) => delta.data.text).join('')).toBe(job.output!.text);
  // The job as the API the client spoke to shows it (its `urls` name that API).
  const last = all.at(-1)! as Extract<JobStreamEvent, { type: 'done' }>;
  expect({ ...last.data, urls: undefined }).toEqual({ ...job, urls: undefined });
  expect(last.data.urls.get).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/v1/jobs/${job.id}$`));
  const ids = all.map((event) => event.id);
  expect([...ids].sort(compareIds)).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am! === bm! ? Number(as! - bs!) : Number(am! - bm!);
}

async function submit(): Promise<Job> {
  return (await tenant.client.submit(body)).job;
}

test('a listener from submit on gets retry, queued, running, the deltas of the output, done, then the end', async () => {
  const job = await submit();
  const reader = await open(job.id);
  expect(reader.response.status).toBe(200);
  expect(reader.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const first = await reader.next();
  expect(first!.lines).toEqual(['retry: 1000']);
  const queued = await reader.next();
  expect(queued!.lines).toEqual([
    `id: ${queued!.id}`,
    'event: status',
    `data: {"status":"queued","at":"${job.created_at}"}`,
  ]);
  const worker = await stack.startWorker();
  try {
    const rest = await reader.rest();
    const done = await tenant.client.get(job.id);
    expect(done.status).toBe('succeeded');
    expectWholeStream(events([queued!, ...rest]), done);
  } finally {
    await worker.close();
  }
});

/** Runs `job` to its end with a worker started now; the job as it ended. */
async function finish(jobId: string): Promise<Job> {
  const worker = await stack.startWorker();
  try {
    return await tenant.client.waitFor(jobId);
  } finally {
    await worker.close();
  }
}

test('a job that has ended replays all its events and done, then the stream ends', async () => {
  const job = await submit();
  // Listened to while queued (the client left), so its call streamed into its events.
  const listener = await open(job.id);
  await listener.until((frame) => frame.event === 'status');
  listener.abort();
  const done = await finish(job.id);
  const reader = await open(job.id);
  const frames = await reader.rest();
  expect(frames[0]!.lines).toEqual(['retry: 1000']);
  expectWholeStream(events(frames), done);
  // Resuming after the last event (what a client that saw `done` holds) gives nothing more.
  const after = await open(job.id, { 'last-event-id': frames.at(-1)!.id! });
  expect(events(await after.rest())).toEqual([]);
});

test('a job nobody listened to replays its statuses and done, its output in the job', async () => {
  const job = await submit();
  const done = await finish(job.id);
  const all = events(await (await open(job.id)).rest());
  expect(
    all.map((event) => [event.type, event.type === 'status' ? event.data.status : '']),
  ).toEqual([
    ['status', 'queued'],
    ['status', 'running'],
    ['done', ''],
  ]);
  expect({ ...all[2]!.data, urls: undefined }).toEqual({ ...done, urls: undefined });
});

describe('resuming', () => {
  let api2: ApiServer;
  beforeAll(async () => {
    // A second API process on the same Redis, as behind a load balancer.
    api2 = await startApiServer({
      settings: stack.settings,
      redisUrl: stack.redis.url,
      adminToken: stack.adminToken,
      logger: createLogger('test', 'silent'),
      namespace: stack.namespace,
      port: 0,
      host: '127.0.0.1',
    });
  });
  afterAll(() => api2.close());

  test.each([
    ['Last-Event-ID on the same API', 'header', 'same'],
    ['?after= on the same API', 'query', 'same'],
    ['Last-Event-ID on another API process', 'header', 'other'],
    ['?after= on another API process', 'query', 'other'],
  ] as const)(
    'a client that drops mid-stream and resumes with %s gets exactly the rest',
    async (_, how, where) => {
      const job = await submit();
      const first = await open(job.id);
      const worker = await stack.startWorker();
      try {
        // Dropped after its second delta, while the call still streams.
        let seen = 0;
        const before = await first.until((frame) => isDelta(frame) && ++seen === 2);
        first.abort();
        const last = before.at(-1)!.id!;
        const resumed =
          how === 'header'
            ? await open(
                job.id,
                { 'last-event-id': last },
                '',
                where === 'other' ? api2 : stack.api,
              )
            : await open(job.id, {}, `?after=${last}`, where === 'other' ? api2 : stack.api);
        const rest = await resumed.rest();
        expect(rest[0]!.lines).toEqual(['retry: 1000']);
        const done = await tenant.client.waitFor(job.id);
        expect(events(rest)[0]!.type).toBe('delta');
        expectWholeStream([...events(before), ...events(rest)], done);
      } finally {
        await worker.close();
      }
    },
  );

  test('a listener that connects while the call streams gets every delta from the first', async () => {
    const job = await submit();
    const watching = await open(job.id, {}, '', api2);
    const worker = await stack.startWorker();
    try {
      await watching.until(isDelta);
      const late = await open(job.id);
      const [frames, done] = await Promise.all([late.rest(), tenant.client.waitFor(job.id)]);
      expectWholeStream(events(frames), done);
      watching.abort();
    } finally {
      await worker.close();
    }
  });

  test('a listener that connects to a running job nobody listened to gets its text before done', async () => {
    const job = await submit();
    const running = await awaitJobEvent(stack, job.id, (event) => event.status === 'running');
    const worker = await stack.startWorker();
    try {
      await running();
      // Its call may have begun unstreamed: then its whole text comes as one delta at the end.
      const reader = await open(job.id);
      const [frames, done] = await Promise.all([reader.rest(), tenant.client.waitFor(job.id)]);
      expectWholeStream(events(frames), done, 1);
    } finally {
      await worker.close();
    }
  });

  test('an API that drains ends its open streams, and the client resumes on another', async () => {
    const job = await submit();
    const api3 = await startApiServer({
      settings: stack.settings,
      redisUrl: stack.redis.url,
      adminToken: stack.adminToken,
      logger: createLogger('test', 'silent'),
      namespace: stack.namespace,
      port: 0,
      host: '127.0.0.1',
    });
    const reader = await open(job.id, {}, '', api3);
    const before = await reader.until((frame) => frame.event === 'status');
    const [frames] = await Promise.all([reader.rest(), api3.close()]);
    expect(events(frames)).toEqual([]);
    const resumed = await open(job.id, { 'last-event-id': before.at(-1)!.id! });
    const done = await finish(job.id);
    expectWholeStream([...events(before), ...events(await resumed.rest())], done);
  });
});

test('an idle stream sends a keep-alive comment at the configured interval', async () => {
  const job = await submit();
  const reader = await open(job.id);
  const frames = await reader.until((frame) => frame.comment !== undefined);
  expect(frames.map((frame) => frame.lines)).toEqual([
    ['retry: 1000'],
    [`id: ${frames[1]!.id}`, 'event: status', `data: {"status":"queued","at":"${job.created_at}"}`],
    [': keep-alive'],
  ]);
  reader.abort();
});

test('a client that goes away leaves no subscription behind', async () => {
  const job = await submit();
  const channels = [stack.api.deps.keys.jobEvents(job.id), stack.api.deps.keys.jobDeltas(job.id)];
  const probe = new Redis(stack.redis.url);
  const subscribers = async () =>
    ((await probe.call('PUBSUB', 'NUMSUB', ...channels)) as Array<string | number>).filter(
      (_, i) => i % 2 === 1,
    );
  try {
    const reader = await open(job.id);
    await reader.until((frame) => frame.event === 'status');
    expect(await subscribers()).toEqual([1, 1]);
    reader.abort();
    // The server hears the close a moment later; the unsubscribe follows it.
    while ((await subscribers()).some((count) => count !== 0)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await subscribers()).toEqual([0, 0]);
  } finally {
    probe.disconnect();
  }
});

describe('refusals', () => {
  let jobId: string;
  beforeAll(async () => {
    jobId = (await submit()).id;
  });

  async function refusal(path: string, headers: Record<string, string> = {}, key = tenant.apiKey) {
    const response = await fetch(`${stack.api.url}${path}`, {
      headers: { authorization: `Bearer ${key}`, ...headers },
    });
    return {
      status: response.status,
      body: (await response.json()) as { error: Record<string, unknown> },
    };
  }

  test("another tenant's job is 404, like an unknown one", async () => {
    for (const [path, key] of [
      [`/v1/jobs/${jobId}/events`, other.apiKey],
      ['/v1/jobs/job_doesnotexist0000000000000000/events', tenant.apiKey],
    ] as const) {
      const { status, body } = await refusal(path, {}, key);
      expect(status).toBe(404);
      expect(body.error.type).toBe('not_found');
    }
  });

  test.each([
    ['a malformed Last-Event-ID', '', { 'last-event-id': 'abc' }, 'header.Last-Event-ID'],
    ['a malformed ?after=', '?after=12-x', {}, 'query.after'],
    ['an unknown query parameter', '?since=1-0', {}, 'query.since'],
  ])('%s is a 400 naming it', async (_, query, headers, path) => {
    const { status, body } = await refusal(`/v1/jobs/${jobId}/events${query}`, headers);
    expect(status).toBe(400);
    expect(body.error.type).toBe('invalid_request');
    expect((body.error.details as Array<{ path: string }>).map((d) => d.path)).toEqual([path]);
  });
});
