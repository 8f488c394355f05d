import type { Keys } from '@switchyard/redis-kit';
import { LuaScript } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import { assembleBatch, BATCH_FIELDS, type BatchRecord, batchHashFields } from './batch-record';
import { indexPage } from './index-page';
import type { JobRecord } from './job-record';
import { createCall } from './job-store';
import { createJobScript } from './job-store-scripts';
import { EVENTS_MAX_LEN } from './job-stream';

/** Job IDs one LRANGE or RPUSH takes: results and cancels read a batch in slices this long. */
export const BATCH_SLICE = 500;

/**
 * A cancel's first step: an `in_progress` batch becomes `canceling`, so the end of its last job
 * closes it as `canceled` (see transitionJobScript). Returns the status found before (nil if the
 * batch is gone): `completed` is too late, `canceling`/`canceled` a cancel already made.
 */
const markCancelingScript = new LuaScript({
  keys: ['batch'],
  args: [],
  source: `
local status = redis.call('HGET', KEY.batch, 'status')
if status == 'in_progress' then redis.call('HSET', KEY.batch, 'status', 'canceling') end
return status
`,
});

/**
 * Batch records: the batch hash, its job IDs in submission order, and the tenant's index of
 * batches. Its counters are changed only by the job store's transition script, in the step that
 * ends each job. Tenant-scoped on read, like jobs: another tenant's batch reads as missing.
 */
export class BatchStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    /**
     * Where the large writes go (create, remove): a connection with a long command timeout.
     * @defaultValue `redis`
     */
    private readonly bulk: Redis = redis,
    /** About how many events each job's event stream keeps. @defaultValue EVENTS_MAX_LEN */
    private readonly eventsMaxLen = EVENTS_MAX_LEN,
  ) {}

  /**
   * Stores a batch and all its job records in one MULTI, so a crash leaves either all of it or
   * none: a batch never counts to a total it does not hold. Each job goes in through the job
   * store's create script, so each is in the pending-enqueue set too and the EnqueueReconciler
   * queues it if its queue item never comes (the caller enqueues right after). Rejects if any
   * part failed (a job ID taken: IDs are random, so that is a bug). Call {@link prepare} first.
   *
   * The MULTI is written to the bulk connection when this is called, before it returns: queue
   * items added next on that same connection reach Redis after it, and Redis runs one connection's
   * commands in order, so the caller may enqueue without waiting for this reply (a worker can
   * never take an item before its record exists). That overlap is most of the speed of a
   * 10,000-request submit.
   */
  create(batch: BatchRecord, records: readonly JobRecord[]): Promise<void> {
    const multi = this.bulk.multi();
    const key = this.keys.batch(batch.id);
    multi.hset(key, ...batchHashFields(batch));
    for (let start = 0; start < records.length; start += BATCH_SLICE) {
      const ids = records.slice(start, start + BATCH_SLICE).map((record) => record.id);
      multi.rpush(this.keys.batchJobs(batch.id), ...ids);
    }
    multi.zadd(this.keys.tenantBatches(batch.tenant_id), batch.created_at, batch.id);
    for (const record of records) {
      const call = createCall(this.keys, record, this.eventsMaxLen);
      createJobScript.queue(multi, call.keys, call.args);
    }
    return multi.exec().then((replies) => {
      if (!replies) throw new Error('batch create: transaction aborted');
      const failed = replies.find(([error]) => error);
      if (failed) throw failed[0]!;
      const creates = replies.slice(replies.length - records.length);
      if (creates.some(([, created]) => created !== 1)) throw new Error('batch job ID collision');
    });
  }

  /** Loads the job create script, which {@link create} runs by SHA inside its MULTI. */
  prepare(): Promise<void> {
    return createJobScript.load(this.bulk);
  }

  /** Removes a batch whose jobs were never enqueued (its submit rolled back), jobs included. */
  async remove(batch: BatchRecord, records: readonly JobRecord[]): Promise<void> {
    // A pipeline, not a MULTI: a full Redis refuses every write queued in a MULTI, DEL included
    // (see JobStore.remove); the jobs have no queue items, so nothing sees them half removed.
    const multi = this.bulk.pipeline();
    multi.del(this.keys.batch(batch.id), this.keys.batchJobs(batch.id));
    multi.zrem(this.keys.tenantBatches(batch.tenant_id), batch.id);
    for (let start = 0; start < records.length; start += BATCH_SLICE) {
      const slice = records.slice(start, start + BATCH_SLICE).map((record) => record.id);
      multi.del(...slice.map((id) => this.keys.job(id)));
      multi.zrem(this.keys.tenantJobs(batch.tenant_id), ...slice);
      multi.zrem(this.keys.tenantJobsByStatus(batch.tenant_id, 'queued'), ...slice);
      multi.zrem(this.keys.pendingEnqueue, ...slice);
    }
    await multi.exec();
  }

  async get(batchId: string): Promise<BatchRecord | undefined> {
    const values = await this.redis.hmget(this.keys.batch(batchId), ...BATCH_FIELDS);
    return assembleBatch((name) => values[BATCH_FIELDS.indexOf(name)]);
  }

  /** The batch if it exists and belongs to `tenantId`. */
  async getForTenant(tenantId: string, batchId: string): Promise<BatchRecord | undefined> {
    const batch = await this.get(batchId);
    return batch?.tenant_id === tenantId ? batch : undefined;
  }

  /** The IDs of the batch's jobs from `start` to `stop` (inclusive), in submission order. */
  jobIds(batchId: string, start: number, stop: number): Promise<string[]> {
    return this.redis.lrange(this.keys.batchJobs(batchId), start, stop);
  }

  /** See markCancelingScript: the status the batch had, or undefined if it is gone. */
  async markCanceling(batchId: string): Promise<BatchRecord['status'] | undefined> {
    const status = await markCancelingScript.run(
      this.redis,
      { batch: this.keys.batch(batchId) },
      {},
    );
    return typeof status === 'string' ? (status as BatchRecord['status']) : undefined;
  }

  /** A tenant's batches, newest first; cursor-paginated like jobs. */
  async list(
    tenantId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ batches: BatchRecord[]; nextCursor: string | null }> {
    const index = this.keys.tenantBatches(tenantId);
    const { page, nextCursor } = await indexPage(this.redis, index, options);
    const rows = page.length
      ? await this.redis
          .pipeline(page.map(([id]) => ['hmget', this.keys.batch(id), ...BATCH_FIELDS]))
          .exec()
      : [];
    const batches: BatchRecord[] = [];
    const gone: string[] = [];
    page.forEach(([id], i) => {
      const values = (rows?.[i]?.[1] ?? []) as Array<string | null>;
      const batch = assembleBatch((name) => values[BATCH_FIELDS.indexOf(name)]);
      if (batch) batches.push(batch);
      else gone.push(id);
    });
    if (gone.length) await this.redis.zrem(index, ...gone);
    return { batches, nextCursor };
  }
}
