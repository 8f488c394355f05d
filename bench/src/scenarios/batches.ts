import { randomBytes } from 'node:crypto';
import { findFreePort } from '@switchyard/redis-server';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startChild, startSimulatorProcess, startWorkerProcess } from '../child';
import { figure } from '../figures';
import { countFinished } from '../finish-counter';
import { postMany } from '../http-count';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';
import { percentile } from '../stats';

export interface BatchesOptions {
  /** Requests per batch. */
  size: number;
  /** Batches submitted (and single-job baselines' addBulk rounds); the median is reported. */
  rounds: number;
  /** Connections the single-job baseline submits over. */
  concurrency: number;
  /** The worker's concurrency, in both lanes. */
  workerConcurrency: number;
}

const body = (i: number) => ({
  model: 'openai/gpt-4o-mini',
  input: {
    messages: [{ role: 'user', content: `Summarise item ${i} in one line.` }],
    max_tokens: 16,
  },
});

/**
 * `POST /v1/batches` of `size` requests: how long the API takes to accept one (median of
 * `rounds`), next to the same number of jobs submitted one by one (`POST /v1/jobs` over
 * keep-alive connections) and to BullMQ's bare `addBulk` of as many items on the same Redis; then
 * how fast one worker process drains the batches' jobs, next to the same worker draining the
 * single jobs. Everything is measured in this run, on one Redis with the product's persistence.
 */
export async function batchesScenario(
  { scope, report }: ScenarioContext,
  options: BatchesOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, '0ms');
  const adminToken = randomBytes(18).toString('base64url');
  const apiPort = await findFreePort();
  const api = `http://127.0.0.1:${apiPort}`;
  await startChild(
    scope,
    'apps/api/src/main.ts',
    [],
    {
      PORT: String(apiPort),
      REDIS_URL: redis.url,
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: `${simulator.url}/v1`,
      LOG_LEVEL: 'info',
    },
    /api listening/,
  );
  const created = await fetch(`${api}/admin/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench', limits: { rpm: 1_000_000 } }),
  });
  const apiKey = ((await created.json()) as { api_key: { key: string } }).api_key.key;
  const auth = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
  const worker = {
    concurrency: options.workerConcurrency,
    batch_concurrency: options.workerConcurrency,
  };

  // Baseline 1: the same number of jobs, one POST /v1/jobs each; then their drain.
  const singles = await postMany({
    url: `${api}/v1/jobs`,
    headers: auth,
    body: JSON.stringify(body(0)),
    count: options.size,
    concurrency: options.concurrency,
    expectStatus: 202,
  });
  const singlesDrainMs = await scope.part(async (part) => {
    const finished = part.add(await countFinished(redis.url, options.size), (f) => f.close());
    const started = performance.now();
    await startWorkerProcess(part, redis, simulator.url, worker);
    await finished.done;
    return performance.now() - started;
  });

  // Baseline 2: BullMQ's addBulk of as many bare items, in the API's slices of 1,000.
  const addBulkMs: number[] = [];
  await scope.part(async (part) => {
    const connection = part.add(new Redis(redis.url, { maxRetriesPerRequest: null }), (c) =>
      c.disconnect(),
    );
    const queue = part.add(new Queue('bare', { connection, prefix: 'bench' }), (q) => q.close());
    for (let round = 0; round < options.rounds; round++) {
      const started = performance.now();
      for (let i = 0; i < options.size; i += 1_000) {
        await queue.addBulk(
          Array.from({ length: Math.min(1_000, options.size - i) }, (_, k) => ({
            name: 'run',
            data: body(i + k),
          })),
        );
      }
      addBulkMs.push(performance.now() - started);
    }
  });

  // The batches, with no worker running, so acceptance is measured alone.
  const acceptMs: number[] = [];
  const batchIds: string[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const requests = Array.from({ length: options.size }, (_, i) => ({
      custom_id: `r${round}-${i}`,
      ...body(i),
    }));
    const text = JSON.stringify({ requests });
    const started = performance.now();
    const answer = await fetch(`${api}/v1/batches`, { method: 'POST', headers: auth, body: text });
    acceptMs.push(performance.now() - started);
    const batch = (await answer.json()) as { id: string };
    if (answer.status !== 202)
      throw new Error(`batch refused: ${answer.status} ${JSON.stringify(batch)}`);
    batchIds.push(batch.id);
  }

  // Their drain: one worker, as for the single jobs, until every batch has completed.
  const total = options.size * options.rounds;
  const { batchesDrainMs, failed } = await scope.part(async (part) => {
    const started = performance.now();
    await startWorkerProcess(part, redis, simulator.url, worker);
    let counts = { completed: 0, failed: 0 };
    for (const id of batchIds) {
      for (;;) {
        const batch = (await (
          await fetch(`${api}/v1/batches/${id}`, { headers: auth })
        ).json()) as {
          status: string;
          request_counts: { completed: number; failed: number };
        };
        if (batch.status === 'completed') {
          counts = {
            completed: counts.completed + batch.request_counts.completed,
            failed: counts.failed + batch.request_counts.failed,
          };
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return { batchesDrainMs: performance.now() - started, failed: total - counts.completed };
  });

  const median = (values: number[]) => percentile(values, 50);
  report(
    figure(
      `time to accept a batch of ${options.size} (median of ${options.rounds})`,
      'ms',
      median(acceptMs),
      {
        baseline: {
          what: `${options.size} × POST /v1/jobs, ${options.concurrency} connections`,
          value: singles.ms,
        },
        aim: '< 2000 ms (issue 10)',
      },
    ),
    figure(`batch acceptance vs bare addBulk of ${options.size}`, 'ms', median(acceptMs), {
      baseline: { what: `BullMQ addBulk of ${options.size} (median)`, value: median(addBulkMs) },
    }),
    figure(
      'batch items drained/s by 1 worker process',
      'jobs/s',
      (total / batchesDrainMs) * 1_000,
      {
        baseline: {
          what: 'single jobs drained/s, same worker',
          value: (options.size / singlesDrainMs) * 1_000,
        },
      },
    ),
    figure(`time to drain ${options.rounds} batches of ${options.size}`, 'ms', batchesDrainMs),
    figure('batch items that did not succeed', 'jobs', failed, {
      baseline: { what: 'single submits not answered 202', value: singles.unexpected },
      aim: '0',
    }),
  );
}
