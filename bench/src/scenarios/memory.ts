import { JobRequest, newJobId } from '@switchyard/core';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { JobQueues, LANE_QUEUES, newJobRecord } from '@switchyard/queue';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { startSimulatorProcess, startWorkerProcess } from '../child';
import { JobLoader } from '../job-loader';
import { figure } from '../figures';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';

export interface MemoryOptions {
  /** Jobs run and kept; below BullMQ's completed history (5,000) so all of it is measured. */
  jobs: number;
}

/** A typical small job: a system line, a paragraph to work on, an answer of up to 256 tokens. */
const SYSTEM = 'You are a concise assistant. Answer in plain prose, without lists or headings.';
const PARAGRAPH =
  'Our support inbox received a message from a customer whose order arrived two days late and ' +
  'with a damaged box, although the product itself works. They ask whether they can get the ' +
  'shipping fee back and whether future orders can be sent with a different carrier. They have ' +
  'been a customer for three years and mention that they usually order every month.';

/**
 * Redis memory per retained job: what `jobs.retention` multiplies (docs/OPERATIONS.md, Redis
 * sizing). A worker process runs `jobs` typical jobs against the simulator; Redis's used memory
 * (clients' buffers left out) is read before, after they finished, and once BullMQ's own items
 * are gone (it keeps completed items an hour at most; the job store keeps the job for the
 * retention). The baseline is the job record's own JSON; the last rows split the retained bytes
 * by key (MEMORY USAGE, IDs replaced by {job} and {tenant}).
 */
export async function memoryScenario(
  { scope, report }: ScenarioContext,
  options: MemoryOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, '0ms', ['--seed', '1']);
  const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
  const keys = new Keys();
  const queues = scope.add(new JobQueues(loader.redis, keys), (q) => q.close());
  const worker = await startWorkerProcess(scope, redis, simulator.url, { concurrency: 200 });
  const eventsConnection = scope.add(createRedis(redis.url, 'worker', 'bench-memory-events'), (r) =>
    r.disconnect(),
  );
  const events = scope.add(
    new QueueEvents(LANE_QUEUES.interactive, {
      connection: eventsConnection,
      prefix: keys.bullPrefix,
    }),
    (e) => e.close(),
  );
  await events.waitUntilReady();
  let completed = 0;
  // A BullMQ item ends completed or failed (a job that failed on a starved machine, whose
  // record is kept all the same); both count.
  const allCompleted = new Promise<void>((resolve) => {
    const onEnd = () => {
      if (++completed === options.jobs) resolve();
    };
    events.on('completed', onEnd);
    events.on('failed', onEnd);
  });

  const probe = scope.add(createRedis(redis.url, 'worker', 'bench-memory-probe'), (r) =>
    r.disconnect(),
  );
  await whenReady(probe);
  const empty = await usedMemory(probe);
  const ids: string[] = [];
  for (let i = 0; i < options.jobs; i++) ids.push(await submit(loader, queues, i));
  await allCompleted;
  await worker.stop();
  const withHistory = await usedMemory(probe);
  await queues.interactive.obliterate({ force: true });
  const retained = await usedMemory(probe);
  const byKey = await memoryByKeyShape(probe, options.jobs);

  let json = 0;
  let answers = 0;
  const { succeeded, failed } = await loader.outcomes(ids);
  for (const record of succeeded) {
    json += JSON.stringify(record).length;
    answers += record.output?.text.length ?? 0;
  }
  const perJob = (retained - empty) / options.jobs;
  const recordJson = json / succeeded.length;
  report(
    figure(
      `Redis bytes per retained job (${Math.round(answers / succeeded.length)}-char answers)`,
      'bytes',
      perJob,
      {
        baseline: { what: 'the job record’s JSON', value: recordJson },
      },
    ),
    figure(
      'more bytes per job while BullMQ keeps its completed item (≤ 1 h, ≤ 5,000)',
      'bytes',
      (withHistory - retained) / options.jobs,
    ),
    figure('jobs that did not succeed', 'jobs', failed, { aim: '0' }),
    ...byKey.map(([shape, bytes]) => figure(`  of which ${shape} (MEMORY USAGE)`, 'bytes', bytes)),
  );
}

async function submit(loader: JobLoader, queues: JobQueues, index: number): Promise<string> {
  const request = JobRequest.parse({
    model: 'openai/gpt-4o-mini',
    input: {
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `Ticket ${index}. Draft a short reply: ${PARAGRAPH}` },
      ],
      max_tokens: 256,
    },
    metadata: { ticket: String(index) },
  });
  const now = Date.now();
  const record = newJobRecord({
    id: newJobId(),
    tenantId: loader.tenantId,
    request,
    chain: ['openai/gpt-4o-mini'],
    now,
    deadlineAt: null,
  });
  await loader.store.create(record);
  await queues.enqueue(record, now);
  return record.id;
}

/** Memory Redis uses for data: used_memory without the clients' and the AOF's buffers. */
async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)![1]);
  // The AOF buffer is what is about to be written to disk, not data.
  return field('used_memory') - field('mem_clients_normal') - field('mem_aof_buffer');
}

/** Bytes per job by key shape (IDs replaced), largest first; shapes under 1 byte per job dropped. */
async function memoryByKeyShape(redis: Redis, jobs: number): Promise<Array<[string, number]>> {
  const totals = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'COUNT', 1_000);
    cursor = next;
    for (const key of found) {
      const bytes = Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
      const shape = key.replace(/job_[0-9a-z]+/g, '{job}').replace(/ten_[0-9a-z]+/g, '{tenant}');
      totals.set(shape, (totals.get(shape) ?? 0) + bytes);
    }
  } while (cursor !== '0');
  return [...totals]
    .map(([shape, bytes]): [string, number] => [shape, bytes / jobs])
    .filter(([, perJob]) => perJob >= 1)
    .sort((a, b) => b[1] - a[1]);
}
