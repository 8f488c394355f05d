import type { Redis } from 'ioredis';
import type { Keys } from '@switchyard/redis-kit';

/**
 * One message on a job's delta channel: the next piece of its streamed output. `index` counts
 * the job's messages from 0 without gaps, so a listener can tell that it missed one (pub/sub
 * does not redeliver) and fall back to the job's final record.
 */
export interface JobDelta {
  index: number;
  text: string;
}

/** Publishes one delta as JSON on `keys.jobDeltas(jobId)`. */
export async function publishDelta(
  redis: Redis,
  keys: Keys,
  jobId: string,
  delta: JobDelta,
): Promise<void> {
  await redis.publish(keys.jobDeltas(jobId), JSON.stringify(delta));
}

/** How long a piece of text may wait for more before it is published. */
export const DELTA_INTERVAL_MS = 50;
/** Text that has gathered to this length (UTF-16 units; bytes for ASCII) is published at once. */
export const DELTA_MAX_CHARS = 1_024;

export interface DeltaBatcherOptions {
  intervalMs?: number;
  maxChars?: number;
}

/**
 * Coalesces one job's deltas: a provider streams a token at a time, and a PUBLISH per token at
 * hundreds of concurrent streams would flood Redis and every subscriber. Text is published when
 * it has waited `intervalMs` or reached `maxChars`, and by flush() at the end.
 *
 * push() never throws and never waits, so it can be the adapter's `onDelta`. Deltas are best
 * effort (the job's record keeps the whole text): a failed PUBLISH is remembered and reported by
 * the next flush(), not retried.
 */
export class DeltaBatcher {
  private pending = '';
  private nextIndex = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Settles once every PUBLISH so far has; never rejects (failures land in `failure`). */
  private allSent: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private readonly intervalMs: number;
  private readonly maxChars: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly jobId: string,
    options: DeltaBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DELTA_INTERVAL_MS;
    this.maxChars = options.maxChars ?? DELTA_MAX_CHARS;
  }

  push(text: string): void {
    if (text === '') return;
    this.pending += text;
    if (this.pending.length >= this.maxChars) this.publishPending();
    else this.timer ??= setTimeout(() => this.publishPending(), this.intervalMs);
  }

  /** Publishes what is pending; resolves once every delta so far has been answered by Redis. */
  async flush(): Promise<void> {
    this.publishPending();
    await this.allSent;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
  }

  private publishPending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    const delta = { index: this.nextIndex++, text: this.pending };
    this.pending = '';
    const sent = publishDelta(this.redis, this.keys, this.jobId, delta).catch((error) => {
      this.failure ??= { error };
    });
    this.allSent = this.allSent.then(() => sent);
  }
}
