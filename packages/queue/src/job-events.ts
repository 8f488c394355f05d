import { type JobStatus, isFinalStatus } from '@switchyard/core';
import type { Redis } from 'ioredis';
import { ChannelListeners } from '@switchyard/redis-kit';
import type { Keys } from '@switchyard/redis-kit';

/** What is published on a job's channel. */
export type JobEvent = { type: 'status'; status: JobStatus; rev: number };

export type JobEventListener = (event: JobEvent) => void;

/**
 * Wakes waiters (long-polls, `Prefer: wait`) when a job changes, through Redis pub/sub on one
 * subscriber connection per process. A channel is subscribed while someone watches it and shared
 * by all its watchers. The subscriber connection fails fast when Redis is away (see
 * redis-connection.ts), so watching either works or throws; it never waits for Redis to return.
 */
export class JobWatcher {
  private readonly channels: ChannelListeners;
  /** The jobs' delta channels, on the same connection (the names differ from `channels`'). */
  private readonly deltas: ChannelListeners;

  constructor(
    subscriber: Redis,
    private readonly keys: Keys,
  ) {
    this.channels = new ChannelListeners(subscriber);
    this.deltas = new ChannelListeners(subscriber);
  }

  /**
   * Calls `onGrowth` whenever the job's event stream (job-stream.ts) may have grown: a status
   * change or a delta. It carries nothing: the caller reads the stream after its last ID, which
   * also covers what pub/sub dropped. Resolves once both channels are subscribed, so a read made
   * after it cannot miss an event; the returned function leaves both.
   */
  async watchStream(jobId: string, onGrowth: () => void): Promise<() => void> {
    const unwatch = await this.channels.listen(this.keys.jobEvents(jobId), onGrowth);
    try {
      const unwatchDeltas = await this.deltas.listen(this.keys.jobDeltas(jobId), onGrowth);
      return () => {
        unwatch();
        unwatchDeltas();
      };
    } catch (error) {
      unwatch();
      throw error;
    }
  }

  /**
   * Calls `listener` with every event of the job until the returned function is called.
   * Resolves once the subscription is active, so a read made after it cannot miss an event.
   */
  watch(jobId: string, listener: JobEventListener): Promise<() => void> {
    return this.channels.listen(this.keys.jobEvents(jobId), (message) =>
      listener(JSON.parse(message) as JobEvent),
    );
  }

  /**
   * Resolves when the job reaches a final status, `timeoutMs` passes or `signal` aborts,
   * whichever is first. `isFinal` reads the current state *after* subscribing, so a completion
   * between the caller's read and the subscription is not missed.
   */
  async waitForFinal(
    jobId: string,
    timeoutMs: number,
    isFinal: () => Promise<boolean>,
    signal?: AbortSignal,
  ): Promise<void> {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const unwatch = await this.watch(jobId, (event) => {
      if (isFinalStatus(event.status)) wake();
    });
    const timer = setTimeout(wake, timeoutMs);
    signal?.addEventListener('abort', wake);
    try {
      if (signal?.aborted || (await isFinal())) return;
      await woken;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', wake);
      unwatch();
    }
  }
}
