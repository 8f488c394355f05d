import { type CallRecord, type SimulatorStats, type Simulator, startSimulator } from '../src/index';
import { OPENAI_KEY, openaiClient, raw } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  expect((await raw(`${sim.url}/_sim/reset`, { method: 'POST' })).status).toBe(200);
  await raw(`${sim.url}/_sim/config`, { body: { faults: null, latency: null, limits: null } });
});

const model = 'gpt-4o';
const hello = [{ role: 'user' as const, content: 'Hello' }];

describe('control endpoints over HTTP', () => {
  it('GET /_sim/health answers 200', async () => {
    const response = await raw(`${sim.url}/_sim/health`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true });
  });

  it('GET /_sim/stats and /_sim/calls report what happened', async () => {
    await openaiClient(sim).chat.completions.create({ model, messages: hello });
    await raw(`${sim.openaiBaseUrl}/chat/completions`, { body: { model, messages: hello } });
    const stats = (await raw(`${sim.url}/_sim/stats`)).json as SimulatorStats;
    expect(stats).toEqual({
      requests: 2,
      inFlight: 0,
      maxInFlight: 1,
      byStatus: { '200': 1, '401': 1 },
      byFault: {},
    });
    const calls = (await raw(`${sim.url}/_sim/calls`)).json as CallRecord[];
    expect(calls).toEqual(sim.calls());
    expect(calls.map((c) => [c.seq, c.status, c.apiKey])).toEqual([
      [1, 200, OPENAI_KEY.slice(-4)],
      [2, 401, ''],
    ]);
    const since = (await raw(`${sim.url}/_sim/calls?since=1`)).json as CallRecord[];
    expect(since.map((c) => c.seq)).toEqual([2]);
  });

  it('POST /_sim/config merges options and drives faults and limits from another process', async () => {
    const response = await raw(`${sim.url}/_sim/config`, {
      body: { faults: { '503': 1 }, limits: { rpm: 5 } },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual(
      expect.objectContaining({
        faults: { '503': 1 },
        limits: { rpm: 5 },
        latency: { kind: 'fixed', ms: 0 },
        callLogSize: 10_000,
      }),
    );
    await expect(
      openaiClient(sim).chat.completions.create({ model, messages: hello }),
    ).rejects.toMatchObject({ status: 503 });

    // Keys given replace that option; null restores its default; others stay.
    await raw(`${sim.url}/_sim/config`, { body: { faults: null } });
    const current = (await raw(`${sim.url}/_sim/config`)).json as Record<string, unknown>;
    expect(current.faults).toEqual({});
    expect(current.limits).toEqual({ rpm: 5 });
    const ok = await openaiClient(sim)
      .chat.completions.create({ model, messages: hello })
      .withResponse();
    expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBe('5');
  });

  it('POST /_sim/config rejects invalid options with a one-line message and changes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [
        { latency: { kind: 'fixed', ms: -1 } },
        'invalid simulator option "latency.ms": expected a non-negative number, got -1',
      ],
      [
        { faults: { '418': 0.5 } },
        'unknown fault kind "418" in "faults" (one of 500, 502, 503, 529, 429, insufficient_quota, 400, 401, 403, 404, 413, context_length, hang, reset, malformed)',
      ],
      [
        { faults: { '500': 2 } },
        'invalid simulator option "faults.500": expected a probability between 0 and 1, got 2',
      ],
      [
        { limits: { rpm: 0 } },
        'invalid simulator option "limits.rpm": expected a positive integer, got 0',
      ],
      [
        { limits: { windows: [{ windowMs: 1000 }] } },
        'invalid simulator option "limits.windows[0]": needs requests or tokens',
      ],
      [{ latencyMs: 5 }, 'unknown simulator option "latencyMs"'],
      ['[1,2', 'Unexpected end of JSON input'],
    ];
    for (const [body, message] of cases) {
      const response = await raw(`${sim.url}/_sim/config`, { body });
      expect(response.status).toBe(400);
      const got = (response.json as { error: { message: string } }).error.message;
      if (typeof body === 'string') expect(got).toMatch(/JSON/);
      else expect(got).toBe(message);
    }
    const current = (await raw(`${sim.url}/_sim/config`)).json as Record<string, unknown>;
    expect(current.faults).toEqual({});
    expect(current.limits).toBeUndefined();
  });

  it('POST /_sim/reset clears the call log, counters, windows and times= counters', async () => {
    await raw(`${sim.url}/_sim/config`, { body: { limits: { rpm: 1 } } });
    const directive = [{ role: 'user' as const, content: 'x [[sim: fault=500 times=1]]' }];
    const client = openaiClient(sim);
    await expect(
      client.chat.completions.create({ model, messages: directive }),
    ).rejects.toMatchObject({ status: 500 });
    await client.chat.completions.create({ model, messages: hello });
    await expect(client.chat.completions.create({ model, messages: hello })).rejects.toMatchObject({
      status: 429,
    });

    expect((await raw(`${sim.url}/_sim/reset`, { method: 'POST' })).json).toEqual({ ok: true });
    expect(sim.calls()).toEqual([]);
    expect(sim.stats()).toEqual({
      requests: 0,
      inFlight: 0,
      maxInFlight: 0,
      byStatus: {},
      byFault: {},
    });
    // The window is empty again and the times=1 directive fires again.
    await client.chat.completions.create({ model, messages: hello });
    await expect(
      client.chat.completions.create({ model, messages: directive }),
    ).rejects.toMatchObject({ status: 500 });
    expect(sim.calls().map((c) => [c.seq, c.status])).toEqual([
      [1, 200],
      [2, 500],
    ]);
  });

  it('answers unknown paths with 404 JSON and wrong methods with 405', async () => {
    const unknown = await raw(`${sim.url}/v1/embeddings`, { body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'no route for POST /v1/embeddings' },
    });
    const control = await raw(`${sim.url}/_sim/nothing`);
    expect(control.status).toBe(404);
    expect(control.json).toEqual({ error: { message: 'no control endpoint GET /_sim/nothing' } });
    const wrongMethod = await raw(`${sim.openaiBaseUrl}/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    expect((await raw(`${sim.url}/_sim/stats`, { method: 'POST', body: {} })).status).toBe(405);
    expect(sim.stats().requests).toBe(0);
  });
});
