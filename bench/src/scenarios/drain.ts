import { nodeFetch } from '@switchyard/providers';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startSimulatorProcess, startWorkerProcess } from '../child';
import { figure } from '../figures';
import { countFinished } from '../finish-counter';
import { JobLoader } from '../job-loader';
import { startBenchRedis } from '../redis';
import { callOnce, simulatorClient } from '../sdk-call';
import type { ScenarioContext } from '../runner';
import type { Scope } from '../scope';

export interface DrainOptions {
  jobs: number;
  concurrency: number;
}

/**
 * Throughput at zero provider latency: a full queue drained by one worker process, next to what
 * it is made of, measured in the same run against the same simulator: raw SDK calls from one
 * process at the same concurrency (with the worker's node:http fetch, and with the SDK's
 * default fetch), and a bare BullMQ worker doing nothing.
 */
export async function drainScenario(
  { scope, report }: ScenarioContext,
  options: DrainOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, '0ms');
  const rawNodeFetch = await rawSdkCallsPerSecond(simulator.url, options, nodeFetch);
  const rawDefault = await rawSdkCallsPerSecond(simulator.url, options, undefined);
  const bare = await scope.part((part) => bareBullmqJobsPerSecond(part, redis.url, options));

  const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
  const ids = await loader.submitMany(options.jobs);
  const finished = scope.add(await countFinished(redis.url, options.jobs), (f) => f.close());
  // BENCH_DRAIN_STREAM=1: every call streams into its job's events, as if each job had a
  // listener (a grace longer than the run), to measure what a streamed call costs the worker.
  const streamAll =
    process.env.BENCH_DRAIN_STREAM === '1' ? { events: { listen_grace: '1m' } } : {};
  await startWorkerProcess(
    scope,
    redis,
    simulator.url,
    { concurrency: options.concurrency },
    streamAll,
  );
  await finished.done;
  // From the first job started to the last one finished, read from the records themselves.
  const { succeeded, failed } = await loader.outcomes(ids);
  let first = Infinity;
  let last = 0;
  for (const record of succeeded) {
    first = Math.min(first, record.started_at!);
    last = Math.max(last, record.completed_at!);
  }
  const drained = (succeeded.length / (last - first)) * 1_000;
  report(
    figure('jobs/s drained by 1 worker process (0 ms provider)', 'jobs/s', drained, {
      baseline: { what: 'raw SDK calls/s, same node:http fetch', value: rawNodeFetch.perSecond },
      aim: 'ratio ≥ 0.85 (issue 3)',
    }),
    figure('jobs/s drained vs raw SDK, SDK default fetch', 'jobs/s', drained, {
      baseline: { what: 'raw SDK calls/s, default fetch', value: rawDefault.perSecond },
    }),
    figure('jobs/s drained vs bare BullMQ', 'jobs/s', drained, {
      baseline: { what: 'bare BullMQ no-op jobs/s', value: bare },
    }),
    figure('jobs that did not succeed', 'jobs', failed, {
      baseline: {
        what: 'raw SDK calls that failed',
        value: rawNodeFetch.failed + rawDefault.failed,
      },
      aim: '0',
    }),
  );
}

/** Calls/s of the SDK from this process at the drain's concurrency, and how many failed. */
async function rawSdkCallsPerSecond(
  simulatorUrl: string,
  options: DrainOptions,
  fetch: typeof globalThis.fetch | undefined,
): Promise<{ perSecond: number; failed: number }> {
  const client = simulatorClient(simulatorUrl, fetch);
  let next = 0;
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.jobs) if (!(await callOnce(client, next++))) failed++;
    }),
  );
  return { perSecond: (options.jobs / (Date.now() - started)) * 1_000, failed };
}

/** No-op jobs/s of a bare BullMQ worker in this process, on the same Redis. */
async function bareBullmqJobsPerSecond(
  scope: Scope,
  redisUrl: string,
  options: DrainOptions,
): Promise<number> {
  const connection = scope.add(new Redis(redisUrl, { maxRetriesPerRequest: null }), (c) =>
    c.disconnect(),
  );
  const queue = scope.add(new Queue('bare', { connection, prefix: 'bench' }), (q) => q.close());
  for (let i = 0; i < options.jobs; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, options.jobs - i) }, (_, k) => ({
      name: 'noop',
      data: { i: i + k },
    }));
    await queue.addBulk(batch);
  }
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((resolve) => (finish = resolve));
  const started = Date.now();
  const worker = new Worker('bare', async () => undefined, {
    connection,
    prefix: 'bench',
    concurrency: options.concurrency,
  });
  scope.add(worker, (w) => w.close());
  worker.on('completed', () => {
    if (++done === options.jobs) finish();
  });
  await all;
  return (options.jobs / (Date.now() - started)) * 1_000;
}
