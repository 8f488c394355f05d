import type { Redis } from 'ioredis';
import { type Keys, LuaScript } from '@switchyard/redis-kit';
import { EVENTS_MAX_LEN } from './job-stream';

/**
 * Appends one delta to a running job's event stream (job-stream.ts) and announces it on the
 * job's delta channel (the API's event streams wake on it and read the stream). Only while the
 * job runs: a delta from a call still streaming after a cancel would land after `done`. The
 * index is counted on the job's hash (field `deltas`), so it runs from 0 without gaps across
 * the job's calls (a retried call goes on counting). Returns the index, or -1 if not running.
 */
const appendDeltaScript = new LuaScript({
  keys: ['job', 'events'],
  args: ['text', 'max_len', 'channel'],
  source: `
if redis.call('HGET', KEY.job, 'status') ~= 'running' then return -1 end
local index = redis.call('HINCRBY', KEY.job, 'deltas', 1) - 1
local id = redis.call('XADD', KEY.events, 'MAXLEN', '~', ARG.max_len, '*', 'type', 'delta', 'index', index, 'text', ARG.text)
redis.call('PUBLISH', ARG.channel, id)
return index
`,
});

/** Appends `text` as the running job's next delta; its index, or -1 if the job is not running. */
export async function appendDelta(
  redis: Redis,
  keys: Keys,
  jobId: string,
  text: string,
  maxLen = EVENTS_MAX_LEN,
): Promise<number> {
  return (await appendDeltaScript.run(
    redis,
    { job: keys.job(jobId), events: keys.jobStream(jobId) },
    { text, max_len: maxLen, channel: keys.jobDeltas(jobId) },
  )) as number;
}

/** How long a piece of text may wait for more before it is appended. */
export const DELTA_INTERVAL_MS = 50;
/** Text that has gathered to this length (UTF-16 units; bytes for ASCII) is appended at once. */
export const DELTA_MAX_CHARS = 1_024;

export interface DeltaBatcherOptions {
  /** @defaultValue DELTA_INTERVAL_MS */
  intervalMs?: number;
  /** @defaultValue DELTA_MAX_CHARS */
  maxChars?: number;
  /** About how many events the job's stream keeps. @defaultValue EVENTS_MAX_LEN */
  maxLen?: number;
}

/**
 * Coalesces one call's deltas into the job's event stream: a provider streams a token at a time,
 * and a write per token at hundreds of concurrent streams would flood Redis and every listener.
 * The first text is appended at once, later text when it has waited `intervalMs` or reached
 * `maxChars`, and by flush() at the end (before the job's final write, so every delta comes before `done`).
 *
 * push() never throws and never waits, so it can be the adapter's `onDelta`. Deltas are best
 * effort (the job's record keeps the whole text): a failed write is remembered and reported by
 * the next flush(), not retried.
 */
export class DeltaBatcher {
  private pending = '';
  /** The first text goes out at once: time to the first token is what a listener feels most. */
  private first = true;
  private timer: NodeJS.Timeout | undefined;
  /** Settles once every write so far has; never rejects (failures land in `failure`). */
  private allSent: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private readonly intervalMs: number;
  private readonly maxChars: number;
  private readonly maxLen: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly jobId: string,
    options: DeltaBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DELTA_INTERVAL_MS;
    this.maxChars = options.maxChars ?? DELTA_MAX_CHARS;
    this.maxLen = options.maxLen ?? EVENTS_MAX_LEN;
  }

  push(text: string): void {
    if (text === '') return;
    this.pending += text;
    if (this.first || this.pending.length >= this.maxChars) this.appendPending();
    else this.timer ??= setTimeout(() => this.appendPending(), this.intervalMs);
  }

  /** Appends what is pending; resolves once every delta so far has been answered by Redis. */
  async flush(): Promise<void> {
    this.appendPending();
    await this.allSent;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
  }

  private appendPending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    this.first = false;
    const text = this.pending;
    this.pending = '';
    const sent = appendDelta(this.redis, this.keys, this.jobId, text, this.maxLen).then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.allSent = this.allSent.then(() => sent);
  }
}
