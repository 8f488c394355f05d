import { randomBytes } from 'node:crypto';
import { findFreePort } from '@switchyard/redis-server';
import { startChild, startSimulatorProcess } from '../child';
import { httpLoad, type LoadResult } from '../http-load';
import { cpuSecondsOf } from '../process-cpu';
import { figure } from '../figures';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';

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
 * `POST /v1/jobs` of the API process (auth, rate limit, validation, record, enqueue, its request
 * log line) next to the least a submit can do (`submit-baseline.ts`: express + zod +
 * `queue.add`), under the same closed-loop load, each on its own Redis with the product's
 * persistence (AOF, everysec). The baseline runs first, then the API, back to back.
 */
export async function submitScenario(
  { scope, report }: ScenarioContext,
  options: SubmitOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const baselineRedis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, '0ms');
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
  const api = await startChild(
    scope,
    'apps/api/src/main.ts',
    [],
    apiEnv,
    /api listening/,
    (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  const bare = await startChild(
    scope,
    'bench/src/submit-baseline.ts',
    [],
    { REDIS_URL: baselineRedis.url },
    /submit baseline listening/,
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
    expectStatus: 202,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
  };
  const baseline = await withCpu(bare.process.pid!, () =>
    httpLoad({ ...load, url: `http://127.0.0.1:${barePort}/v1/jobs` }),
  );
  const measured = await withCpu(api.process.pid!, () =>
    httpLoad({ ...load, url: `http://127.0.0.1:${apiPort}/v1/jobs` }),
  );
  const what = 'express + zod + queue.add';
  report(
    figure('submit requests/s', 'req/s', measured.requestsPerSecond, {
      baseline: { what, value: baseline.requestsPerSecond },
    }),
    figure('submit p99', 'ms', measured.p99Ms, { baseline: { what, value: baseline.p99Ms } }),
    // The server's own CPU time per request, which the machine's noise moves much less than
    // the request rate (the load generator shares the cores).
    figure('server CPU per request', 'µs', measured.cpuMicrosPerRequest, {
      baseline: { what, value: baseline.cpuMicrosPerRequest },
    }),
    figure('answers other than 202', 'count', measured.unexpected, {
      baseline: { what, value: baseline.unexpected },
      aim: '0',
    }),
  );
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
