import type { Redis } from 'ioredis';
import type { Keys } from '@switchyard/redis-kit';
import { LuaScript } from '@switchyard/redis-kit';

/**
 * Appends one entry to each list and keeps each for the job's retention (`ttl` ms); `entries`
 * are in the order of `lists`. A key that cannot take its entry (not a list) fails that entry
 * only. Returns one reply per key: '' when written, else the error.
 */
const APPEND = new LuaScript({
  keys: ['lists...'],
  args: ['ttl', 'entries...'],
  source: `
local replies = {}
for i, key in ipairs(KEY.lists) do
  local pushed = redis.pcall('RPUSH', key, ARG.entries[i])
  if type(pushed) == 'table' and pushed.err then
    replies[i] = pushed.err
  else
    redis.call('PEXPIRE', key, ARG.ttl)
    replies[i] = ''
  end
end
return replies
`,
});

/** Most entries one append script writes: it blocks Redis while it runs. */
const MAX_ENTRIES_PER_WRITE = 500;

/** One delivery attempt as `GET /v1/jobs/{id}/deliveries` shows it. */
export interface DeliveryRecord {
  object: 'webhook_delivery';
  event_id: string;
  type: string;
  attempt: number;
  at: string;
  url: string;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  /** When the next attempt is due; null when this one was the last. */
  next_retry_at: string | null;
  /** `delivered`, `retrying`, `gone` (the receiver answered 410) or `exhausted`. */
  result: 'delivered' | 'retrying' | 'gone' | 'exhausted';
}

interface PendingEntry {
  key: string;
  entry: string;
  written: () => void;
  failed: (error: unknown) => void;
}

/**
 * Every attempt of every event of a job, oldest first, kept as long as the job.
 *
 * Appends are group-committed: those made in one event-loop turn are written by one script at
 * the end of the turn, and each `add` resolves only once its entry is in Redis. A dispatcher
 * finishing hundreds of deliveries a second thus runs one script per turn instead of one per
 * delivery, and loses nothing it has reported written.
 */
export class DeliveryLog {
  private pending: PendingEntry[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly retentionMs: number,
  ) {}

  add(jobId: string, delivery: DeliveryRecord): Promise<void> {
    return new Promise((written, failed) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({
        key: this.keys.webhookDeliveries(jobId),
        entry: JSON.stringify(delivery),
        written,
        failed,
      });
    });
  }

  async list(jobId: string): Promise<DeliveryRecord[]> {
    const entries = await this.redis.lrange(this.keys.webhookDeliveries(jobId), 0, -1);
    return entries.map((entry) => JSON.parse(entry) as DeliveryRecord);
  }

  /**
   * The attempts recorded for these jobs, as `<event id>#<attempt>`: what a delivery run that
   * was interrupted had already done, so running it again does not send those twice.
   */
  async recordedAttempts(jobIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(jobIds)];
    const lists = unique.length
      ? await this.redis
          .pipeline(unique.map((id) => ['lrange', this.keys.webhookDeliveries(id), 0, -1]))
          .exec()
      : [];
    const recorded = new Set<string>();
    for (const [error, entries] of lists ?? []) {
      if (error) throw error;
      for (const entry of entries as string[]) {
        const delivery = JSON.parse(entry) as DeliveryRecord;
        recorded.add(attemptKey(delivery.event_id, delivery.attempt));
      }
    }
    return recorded;
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    for (let start = 0; start < batch.length; start += MAX_ENTRIES_PER_WRITE) {
      const part = batch.slice(start, start + MAX_ENTRIES_PER_WRITE);
      APPEND.run(
        this.redis,
        { lists: part.map((pending) => pending.key) },
        { ttl: this.retentionMs, entries: part.map((pending) => pending.entry) },
      ).then(
        (replies) =>
          part.forEach((pending, i) => {
            const error = (replies as string[])[i];
            if (error) pending.failed(new Error(error));
            else pending.written();
          }),
        (error: unknown) => part.forEach((pending) => pending.failed(error)),
      );
    }
  }
}

/** How {@link DeliveryLog.recordedAttempts} names one attempt of one event. */
export function attemptKey(eventId: string, attempt: number): string {
  return `${eventId}#${attempt}`;
}
