/**
 * How long a queue may hold work that could start while a consumer with free slots takes none,
 * before that consumer counts as stalled. BullMQ fetches within milliseconds when it is well;
 * a Worker whose blocking connection came back wrong after a Redis outage (a known failure mode)
 * stays quiet for ever, and its heartbeats alone would never tell.
 */
export const STALL_AFTER_MS = 30_000;

/** One queue's consumption in this process. */
export interface QueueActivity {
  inFlight: number;
  capacity: number;
  /** When this process last took an item from the queue (or started, if it never did). */
  lastTakenAt: number;
}

/** Stalled: work could start, a slot is free, and nothing was taken for `stallAfterMs`. */
export function isStalled(
  activity: QueueActivity,
  backlog: number,
  now: number,
  stallAfterMs = STALL_AFTER_MS,
): boolean {
  return (
    backlog > 0 &&
    activity.inFlight < activity.capacity &&
    now - activity.lastTakenAt > stallAfterMs
  );
}

/**
 * Counts what a process takes from each of its queues, so it can tell (from the queues' backlog,
 * read from Redis now and then) whether it still consumes. Health checks and the heartbeat report
 * it; nothing here asks Redis.
 */
export class ConsumptionMonitor {
  private readonly queues = new Map<string, QueueActivity>();

  constructor(
    capacities: ReadonlyMap<string, number>,
    private readonly stallAfterMs = STALL_AFTER_MS,
    now = Date.now(),
  ) {
    for (const [queue, capacity] of capacities) {
      this.queues.set(queue, { inFlight: 0, capacity, lastTakenAt: now });
    }
  }

  /** Runs `work` as one item taken from `queue`. */
  async track<T>(queue: string, work: () => Promise<T>): Promise<T> {
    const activity = this.queues.get(queue);
    if (!activity) return work();
    activity.inFlight++;
    activity.lastTakenAt = Date.now();
    try {
      return await work();
    } finally {
      activity.inFlight--;
    }
  }

  get names(): string[] {
    return [...this.queues.keys()];
  }

  get inFlight(): number {
    let total = 0;
    for (const activity of this.queues.values()) total += activity.inFlight;
    return total;
  }

  get capacity(): number {
    let total = 0;
    for (const activity of this.queues.values()) total += activity.capacity;
    return total;
  }

  /** The queues this process should be taking from and is not, given their backlogs now. */
  stalled(backlogs: ReadonlyMap<string, number>, now: number): string[] {
    return [...this.queues]
      .filter(([queue, activity]) =>
        isStalled(activity, backlogs.get(queue) ?? 0, now, this.stallAfterMs),
      )
      .map(([queue]) => queue);
  }
}
