import { type JobStatus, isFinalStatus } from '@switchyard/core';
import type { Redis } from 'ioredis';
import type { Keys } from './keys';

/** What is published on a job's channel. */
export type JobEvent = { type: 'status'; status: JobStatus; rev: number };

export type JobEventListener = (event: JobEvent) => void;

interface Subscription {
  listeners: Set<JobEventListener>;
  /** Resolves once Redis has confirmed the SUBSCRIBE; every watcher of the channel awaits it. */
  active: Promise<void>;
}

/**
 * Wakes waiters (long-polls, `Prefer: wait`) when a job changes, through Redis pub/sub on one
 * subscriber connection per process. A channel is subscribed while someone watches it and shared
 * by all its watchers. The subscriber connection fails fast when Redis is away (see
 * redis-connection.ts), so watching either works or throws; it never waits for Redis to return.
 */
export class JobWatcher {
  private readonly channels = new Map<string, Subscription>();

  constructor(
    private readonly subscriber: Redis,
    private readonly keys: Keys,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const subscription = this.channels.get(channel);
      if (!subscription) return;
      const event = JSON.parse(message) as JobEvent;
      for (const listener of subscription.listeners) listener(event);
    });
  }

  /**
   * Calls `listener` with every event of the job until the returned function is called.
   * Resolves once the subscription is active, so a read made after it cannot miss an event.
   */
  async watch(jobId: string, listener: JobEventListener): Promise<() => void> {
    const channel = this.keys.jobEvents(jobId);
    let subscription = this.channels.get(channel);
    if (!subscription) {
      const created: Subscription = {
        listeners: new Set(),
        active: this.subscriber.subscribe(channel).then(() => undefined),
      };
      created.active.catch(() => {
        if (this.channels.get(channel) === created) this.channels.delete(channel);
      });
      this.channels.set(channel, created);
      subscription = created;
    }
    const joined = subscription;
    joined.listeners.add(listener);
    try {
      await joined.active;
    } catch (error) {
      joined.listeners.delete(listener);
      throw error;
    }
    return () => this.leave(channel, joined, listener);
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

  private leave(channel: string, subscription: Subscription, listener: JobEventListener): void {
    subscription.listeners.delete(listener);
    if (subscription.listeners.size > 0 || this.channels.get(channel) !== subscription) return;
    this.channels.delete(channel);
    // Not awaited: nothing waits on it, and with Redis away it fails at once anyway. A later
    // SUBSCRIBE to the same channel is sent after it on the same connection, so order holds.
    this.subscriber.unsubscribe(channel).catch(() => undefined);
  }
}
