import { randomBytes } from 'node:crypto';
import { findFreePort, startRedisServer } from '@switchyard/redis-server';
import { startChild, startSimulatorProcess } from '../child';
import { httpLoad, type LoadResult } from '../http-load';
import { cpuSecondsOf } from '../process-cpu';
import { withScope } from '../scope';
import { fmt, type Row } from '../stats';

export interface SubmitOptions {
  concurrency: number;
  seconds: number;
}

const BODY = JSON.stringify({
  model: 'openai/gpt-4o-mini',
  input: {
    messages: [{ role: 'user', content: 'Summarise the benchmark in one line.' }],
    max_tokens: 16,
  },
});

/**
 * `POST /v1/jobs` of the API process (auth, rate limit, validation, record, enqueue) next to a
 * bare express handler parsing the same body, under the same closed-loop load.
 */
export function submitScenario(options: SubmitOptions): Promise<Row[]> {
  return withScope(async (scope) => {
    const redis = scope.add(await startRedisServer(), (r) => r.stop());
    const simulator = scope.add(await startSimulatorProcess('0ms'), (s) => s.stop());
    const adminToken = randomBytes(18).toString('base64url');
    const apiPort = await findFreePort();
    const apiEnv = {
      PORT: String(apiPort),
      REDIS_URL: redis.url,
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: `${simulator.url}/v1`,
      LOG_LEVEL: 'info',
    };
    const api = scope.add(
      await startChild(
        'apps/api/src/main.ts',
        [],
        apiEnv,
        /api listening/,
        (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ),
      (c) => c.stop(),
    );
    const bare = scope.add(
      await startChild('bench/src/bare-express.ts', [], {}, /bare express listening/),
      (c) => c.stop(),
    );
    const barePort = Number(/listening on (\d+)/.exec(bare.readyLine)![1]);

    const created = await fetch(`http://127.0.0.1:${apiPort}/admin/tenants`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bench', limits: { rpm: 1_000_000 } }),
    });
    const apiKey = ((await created.json()) as { api_key: { key: string } }).api_key.key;
    const load = {
      body: BODY,
      concurrency: options.concurrency,
      durationMs: options.seconds * 1_000,
    };
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` };
    const baseline = await withCpu(bare.process.pid!, () =>
      httpLoad({
        ...load,
        url: `http://127.0.0.1:${barePort}/v1/jobs`,
        headers,
        expectStatus: 202,
      }),
    );
    const measured = await withCpu(api.process.pid!, () =>
      httpLoad({ ...load, url: `http://127.0.0.1:${apiPort}/v1/jobs`, headers, expectStatus: 202 }),
    );
    const label = `submit (POST /v1/jobs, ${options.concurrency} connections, ${options.seconds} s)`;
    return [
      {
        scenario: label,
        measure: 'requests/s: API vs bare express',
        value: fmt(measured.requestsPerSecond),
        baseline: fmt(baseline.requestsPerSecond),
        ratio: (measured.requestsPerSecond / baseline.requestsPerSecond).toFixed(2),
      },
      {
        scenario: label,
        measure: 'p99 ms: API vs bare express',
        value: fmt(measured.p99Ms, 1),
        baseline: fmt(baseline.p99Ms, 1),
        ratio: (measured.p99Ms / baseline.p99Ms).toFixed(2),
      },
      {
        // The server's own CPU time per request, which the machine's noise moves much less than
        // the request rate (the load generator shares the cores).
        scenario: label,
        measure: 'server CPU µs per request: API vs bare express',
        value: fmt(measured.cpuMicrosPerRequest),
        baseline: fmt(baseline.cpuMicrosPerRequest),
        ratio: (measured.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest).toFixed(2),
      },
      {
        scenario: label,
        measure: 'non-202 answers',
        value: fmt(measured.unexpected + baseline.unexpected),
      },
    ];
  });
}

/** A load, with the CPU time the server process `pid` spent per request answered meanwhile. */
async function withCpu(
  pid: number,
  run: () => Promise<LoadResult>,
): Promise<LoadResult & { cpuMicrosPerRequest: number }> {
  const before = cpuSecondsOf(pid) ?? 0;
  const result = await run();
  const cpu = (cpuSecondsOf(pid) ?? 0) - before;
  return { ...result, cpuMicrosPerRequest: (cpu * 1e6) / result.requests };
}
