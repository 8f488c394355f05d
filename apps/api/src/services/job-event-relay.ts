import type { JobStreamEvent } from '@switchyard/core';
import {
  compareEventIds,
  type JobStreamEntry,
  readJobStream,
  toPublicJob,
} from '@switchyard/queue';
import { isRedisUnavailableError } from '@switchyard/redis-kit';
import type { ApiDeps } from '../api-deps';
import type { SseWriter } from '../http/sse-writer';

/** Events read per XRANGE: the replay of a long stream goes in pages of this many. */
const PAGE = 500;

/** How a relay ended: after `done`, told to stop (client gone, drain, Redis lost), or on a failed read. */
export type RelayEnd = 'done' | 'stopped' | 'redis_lost' | 'job_gone';

/**
 * What wakes a relay waiting for more: the job's stream grew (pub/sub), or it must stop. A ring
 * while the relay is reading is kept, so the relay reads again at once: nothing published between
 * a read and the next wait is lost. Plain fields, no listener per ring.
 */
export class Doorbell {
  private grown = false;
  private stopped = false;
  private wake: (() => void) | undefined;

  readonly ring = (): void => {
    this.grown = true;
    this.wake?.();
  };

  readonly stop = (): void => {
    this.stopped = true;
    this.wake?.();
  };

  get hasStopped(): boolean {
    return this.stopped;
  }

  /** Resolves on a ring, a stop, or after `idleMs` with nothing ('idle'). */
  async wait(idleMs: number): Promise<'grown' | 'idle' | 'stop'> {
    if (!this.stopped && !this.grown) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    if (this.stopped) return 'stop';
    if (!this.grown) return 'idle';
    this.grown = false;
    return 'grown';
  }
}

export interface RelayOptions {
  jobId: string;
  /** The last event the client has (`0-0` for none): the relay sends what comes after it. */
  after: string;
  /** Base of the `urls` of the job in `done`. */
  base: string;
  /** The job had ended when the client connected: no `done` is to come if it is not in the stream. */
  ended: boolean;
  /** Rung by the job's pub/sub channels (JobWatcher.watchStream), stopped by the route. */
  bell: Doorbell;
  writer: SseWriter;
}

/**
 * Sends a job's events after `after` to one client, then waits for more: every wake-up reads the
 * stream from the last ID sent, so what pub/sub dropped or what came during a read is read too,
 * never twice. Idle for `events.keepAliveMs`, it sends a keep-alive comment (and reads anyway,
 * as a safety net). Ends after `done`, or when stopped, or when Redis fails a read.
 */
export async function relayJobEvents(deps: ApiDeps, options: RelayOptions): Promise<RelayEnd> {
  const { jobId, bell, writer } = options;
  let last = options.after;
  for (;;) {
    let entries: JobStreamEntry[];
    try {
      entries = await readJobStream(deps.redis, deps.keys, jobId, last, PAGE);
    } catch (error) {
      if (isRedisUnavailableError(error)) return 'redis_lost';
      throw error;
    }
    if (bell.hasStopped) return 'stopped';
    for (const entry of entries) {
      const event = await wireEvent(deps, jobId, entry, options.base);
      if (event === 'redis_lost' || event === 'job_gone') return event;
      writer.event(event);
      last = entry.id;
      if (event.type === 'done') return 'done';
    }
    if (entries.length === PAGE) continue;
    if (options.ended) return endedWithoutDone(deps, options, last);
    const woke = await bell.wait(deps.settings.events.keepAliveMs);
    if (woke === 'stop') return 'stopped';
    if (woke === 'idle') writer.comment('keep-alive');
  }
}

/**
 * A job that had ended when the client connected, whose stream after `last` holds no `done`:
 * either the client has seen it already (it resumed after it), or the job has no event stream
 * (ended before streams existed). The latter still gets a `done`, with an ID made from the time
 * the job ended, so resuming after that ID ends at once too.
 */
async function endedWithoutDone(
  deps: ApiDeps,
  options: RelayOptions,
  last: string,
): Promise<RelayEnd> {
  try {
    const [newest] = await deps.redis.xrevrange(
      deps.keys.jobStream(options.jobId),
      '+',
      '-',
      'COUNT',
      1,
    );
    // Entries begin with their type (`type`, value).
    if (newest?.[1][1] === 'done') return 'done';
    const record = await deps.store.get(options.jobId);
    if (!record) return 'job_gone';
    const id = `${record.completed_at ?? record.created_at}-0`;
    if (compareEventIds(id, last) > 0) {
      options.writer.event({ type: 'done', id, data: toPublicJob(record, options.base) });
    }
    return 'done';
  } catch (error) {
    if (isRedisUnavailableError(error)) return 'redis_lost';
    throw error;
  }
}

/** The event as the contract shows it; `done` carries the job, read from its record. */
async function wireEvent(
  deps: ApiDeps,
  jobId: string,
  entry: JobStreamEntry,
  base: string,
): Promise<JobStreamEvent | 'redis_lost' | 'job_gone'> {
  switch (entry.type) {
    case 'status':
      return {
        type: 'status',
        id: entry.id,
        data: { status: entry.status, at: new Date(entry.at).toISOString() },
      };
    case 'delta':
      return { type: 'delta', id: entry.id, data: { index: entry.index, text: entry.text } };
    case 'done': {
      try {
        const record = await deps.store.get(jobId);
        return record
          ? { type: 'done', id: entry.id, data: toPublicJob(record, base) }
          : 'job_gone';
      } catch (error) {
        if (isRedisUnavailableError(error)) return 'redis_lost';
        throw error;
      }
    }
  }
}
