import { JobRequest, newJobId } from '@switchyard/core';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import { JobQueues, type JobRecord, JobStore, newJobRecord } from '@switchyard/queue';
import { TenantStore } from '@switchyard/tenancy';
import type { Redis } from 'ioredis';

/**
 * Puts jobs into Redis exactly as the API's submit does (record, then queue item), without the
 * HTTP layer, so a scenario measures the worker and nothing in front of it.
 */
export class JobLoader {
  readonly store: JobStore;
  private readonly queues: JobQueues;
  private constructor(
    readonly redis: Redis,
    readonly tenantId: string,
    keys: Keys,
  ) {
    this.store = new JobStore(redis, keys, 3_600_000);
    this.queues = new JobQueues(redis, keys);
  }

  static async open(redisUrl: string): Promise<JobLoader> {
    const redis = createRedis(redisUrl, 'worker', 'bench');
    await whenReady(redis);
    const keys = new Keys();
    const tenant = await new TenantStore(redis, keys).create({
      name: 'bench',
      limits: { rpm: 1_000_000, monthly_budget_usd: null },
    });
    return new JobLoader(redis, tenant.tenant.id, keys);
  }

  /** `webhook`: the job announces its end there (the API's submit checks the URL; this does not). */
  async submit(index: number, webhook?: string): Promise<string> {
    const request = JobRequest.parse({
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: `Benchmark job ${index}` }], max_tokens: 16 },
      ...(webhook ? { webhook } : {}),
    });
    const now = Date.now();
    const record = newJobRecord({
      id: newJobId(),
      tenantId: this.tenantId,
      request,
      chain: ['openai/gpt-4o-mini'],
      now,
      deadlineAt: null,
    });
    await this.store.create(record);
    await this.queues.enqueue(record, now);
    return record.id;
  }

  /** `count` jobs, written 500 at a time; their IDs in order. */
  async submitMany(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 500) {
      const batch = Array.from({ length: Math.min(500, count - i) }, (_, k) => this.submit(i + k));
      ids.push(...(await Promise.all(batch)));
    }
    return ids;
  }

  /**
   * The records of the jobs `ids` that succeeded, and how many did not (on a starved machine a
   * provider call can time out and open the circuit: a figure, not a failure of the bench; the
   * first such job's error goes to stderr, with the errors of failed calls and their counts).
   */
  async outcomes(ids: readonly string[]): Promise<{ succeeded: JobRecord[]; failed: number }> {
    const succeeded: JobRecord[] = [];
    let failed = 0;
    const attemptErrors = new Map<string, number>();
    for (const id of ids) {
      const record = await this.store.get(id);
      for (const attempt of record?.attempts ?? []) {
        if (attempt.error !== null) {
          attemptErrors.set(attempt.error, (attemptErrors.get(attempt.error) ?? 0) + 1);
        }
      }
      if (record?.status === 'succeeded') {
        succeeded.push(record);
      } else if (failed++ === 0) {
        const why = record ? `${record.status}: ${JSON.stringify(record.error)}` : 'missing';
        process.stderr.write(`  job ${id} ended ${why}\n`);
      }
    }
    // What the failed calls said (a reset, a timeout…), for whoever reads why jobs failed.
    for (const [error, count] of attemptErrors) {
      process.stderr.write(`  ${count} call(s) failed: ${error}\n`);
    }
    return { succeeded, failed };
  }

  async close(): Promise<void> {
    await this.queues.close();
    this.redis.disconnect();
  }
}
