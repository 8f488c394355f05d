import type { Redis } from 'ioredis';
import type { JobQueues } from './job-queues';
import type { JobStore } from './job-store';
import type { Keys } from '@switchyard/redis-kit';

/**
 * How old a pending-enqueue entry must be before the reconciler looks at it: far longer than a
 * submit takes between its record write and its enqueue, so it never races a live submit.
 */
export const ENQUEUE_GRACE_MS = 15_000;
/** How often a long-running process runs the reconciler. */
export const RECONCILE_EVERY_MS = 5_000;
const BATCH = 1_000;
const MAX_BATCHES = 20;

/**
 * Closes the window between a submit's two steps: the job's record is written (with an entry in
 * the pending-enqueue set, in the same script) and then its queue item is added. A process that
 * dies between the two leaves a record no worker would ever see; this finds it and adds the
 * item. An entry older than the grace period is settled in one of three ways: its job is gone or
 * no longer queued (nothing to do), its queue item exists (the enqueue happened), or neither,
 * and then the item is added (BullMQ ignores a second add under the same job ID, so two
 * reconcilers, or a submit finishing late, cannot queue the job twice). The entry then goes.
 */
export class EnqueueReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly store: JobStore,
    private readonly queues: JobQueues,
    private readonly graceMs = ENQUEUE_GRACE_MS,
  ) {}

  /** Settles the entries older than the grace period; returns how many jobs it enqueued. */
  async reconcile(now: number): Promise<number> {
    let enqueued = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const ids = await this.redis.zrangebyscore(
        this.keys.pendingEnqueue,
        '-inf',
        now - this.graceMs,
        'LIMIT',
        0,
        BATCH,
      );
      if (!ids.length) break;
      for (const id of await this.lost(ids)) {
        const record = await this.store.get(id);
        if (record?.status !== 'queued') continue;
        await this.queues.enqueue(record, now);
        enqueued++;
      }
      await this.redis.zrem(this.keys.pendingEnqueue, ...ids);
      if (ids.length < BATCH) break;
    }
    return enqueued;
  }

  /** Runs `reconcile` every RECONCILE_EVERY_MS (one run at a time) until `stop`. */
  start(onEnqueued: (count: number) => void, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.reconcile(Date.now())
        .then((count) => count > 0 && onEnqueued(count), onError)
        .finally(() => (this.running = undefined));
    }, RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** The IDs among `ids` whose job is still queued and has no work item in either lane. */
  private async lost(ids: string[]): Promise<string[]> {
    const lanes = [this.queues.interactive, this.queues.batch];
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hget(this.keys.job(id), 'status');
      pipeline.exists(...lanes.map((lane) => lane.toKey(id)));
    }
    const replies = (await pipeline.exec()) ?? [];
    return ids.filter((_, i) => {
      const [statusError, status] = replies[2 * i] ?? [];
      const [existsError, exists] = replies[2 * i + 1] ?? [];
      if (statusError || existsError) throw statusError ?? existsError;
      return status === 'queued' && exists === 0;
    });
  }
}
