import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  DEADLINE_QUEUE,
  type DeadlineJobData,
  LANE_QUEUES,
  type RunJobData,
  WEBHOOK_QUEUE,
} from './job-catalogue';
import type { JobRecord } from './job-record';
import type { Keys } from '@switchyard/redis-kit';

/**
 * BullMQ keeps a short history of finished work items for Bull Board; the job store keeps the
 * results themselves, so nothing here needs to live long.
 */
const KEEP_COMPLETED = { age: 3_600, count: 5_000 };
const KEEP_FAILED = { age: 7 * 86_400, count: 10_000 };
/** Most items one `addBulk` adds (see enqueueMany). */
const BULK_CHUNK = 1_000;

/** The producer side of the BullMQ queues, and a handle on the webhook dispatcher's. */
export class JobQueues {
  readonly interactive: Queue<RunJobData>;
  readonly batch: Queue<RunJobData>;
  readonly deadlines: Queue<DeadlineJobData>;
  /** The dispatcher's queue (its items are its own business): for depth metrics and Bull Board. */
  readonly webhooks: Queue;

  constructor(connection: Redis, keys: Keys) {
    const options = { connection, prefix: keys.bullPrefix };
    this.interactive = new Queue<RunJobData>(LANE_QUEUES.interactive, options);
    this.batch = new Queue<RunJobData>(LANE_QUEUES.batch, options);
    this.deadlines = new Queue<DeadlineJobData>(DEADLINE_QUEUE, options);
    this.webhooks = new Queue(WEBHOOK_QUEUE, options);
    for (const queue of this.all()) queue.on('error', () => undefined);
  }

  /** Every queue of the platform: job lanes, deadlines, webhooks. */
  all(): Queue[] {
    return [this.interactive, this.batch, this.deadlines, this.webhooks];
  }

  laneQueue(record: JobRecord): Queue<RunJobData> {
    return record.request.priority === 'batch' ? this.batch : this.interactive;
  }

  /**
   * Enqueues the job's work item under the job's own ID (BullMQ ignores a second add with an ID
   * it still holds, waiting, active or in its short completed history) and, if it has a
   * deadline, a delayed item that fires at it.
   */
  async enqueue(record: JobRecord, now: number): Promise<void> {
    if (record.deadline_at !== null) {
      await this.deadlines.add(
        'deadline',
        { jobId: record.id },
        {
          jobId: record.id,
          delay: Math.max(0, record.deadline_at - now),
          removeOnComplete: true,
          removeOnFail: KEEP_FAILED,
        },
      );
    }
    await this.laneQueue(record).add(
      'run',
      { jobId: record.id, tenantId: record.tenant_id },
      { jobId: record.id, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
    );
  }

  /**
   * Enqueues many jobs' work items (and deadline items) as {@link enqueue} does, in `addBulk`
   * calls of up to {@link BULK_CHUNK} items: a bulk add is one MULTI, which holds Redis while it
   * runs, so a 10,000-job batch goes in slices that let other clients in between. An item
   * already held is ignored, as with `add`, so running this again after a failure is safe.
   */
  async enqueueMany(records: readonly JobRecord[], now: number): Promise<void> {
    const deadlines = records.filter((record) => record.deadline_at !== null);
    for (let start = 0; start < deadlines.length; start += BULK_CHUNK) {
      await this.deadlines.addBulk(
        deadlines.slice(start, start + BULK_CHUNK).map((record) => ({
          name: 'deadline',
          data: { jobId: record.id },
          opts: {
            jobId: record.id,
            delay: Math.max(0, record.deadline_at! - now),
            removeOnComplete: true,
            removeOnFail: KEEP_FAILED,
          },
        })),
      );
    }
    for (const lane of [this.interactive, this.batch]) {
      const mine = records.filter((record) => this.laneQueue(record) === lane);
      for (let start = 0; start < mine.length; start += BULK_CHUNK) {
        await lane.addBulk(
          mine.slice(start, start + BULK_CHUNK).map((record) => ({
            name: 'run',
            data: { jobId: record.id, tenantId: record.tenant_id },
            opts: { jobId: record.id, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
          })),
        );
      }
    }
  }

  /** Drops the waiting or delayed work item of a job that ended before it ran (best effort). */
  async discard(record: JobRecord): Promise<void> {
    // remove() refuses an item a worker holds; that worker sees the final status and stops.
    await this.laneQueue(record)
      .remove(record.id)
      .catch(() => 0);
    if (record.deadline_at !== null) await this.deadlines.remove(record.id).catch(() => 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}
