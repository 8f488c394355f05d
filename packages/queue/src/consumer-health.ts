import type { Queue } from 'bullmq';
import { ConsumptionMonitor } from './consumption';
import { readQueueDepth } from './queue-depth';
import type { WorkerStatus } from './worker-heartbeat';

/** How often a consumer reads its queues' backlog to tell whether it still consumes. */
export const HEALTH_CHECK_INTERVAL_MS = 5_000;

/** A health verdict and the JSON that explains it (what `/healthz` answers). */
export interface ConsumerLiveness {
  ok: boolean;
  body: Record<string, unknown>;
}

export interface ConsumerHealthOptions {
  /** The queues this process takes from, with how many items it runs of each at once. */
  queues: ReadonlyArray<{ queue: Queue; capacity: number }>;
  /** Told each verdict (a worker sends it with its heartbeat); a failure skips that report. */
  report?(status: WorkerStatus, now: number): Promise<void>;
  /** @defaultValue {@link HEALTH_CHECK_INTERVAL_MS} */
  intervalMs?: number;
  /** @defaultValue 30 s (STALL_AFTER_MS) */
  stallAfterMs?: number;
}

/**
 * A consuming process's view of itself: what it takes from each queue (the monitor), and every
 * few seconds a verdict on whether it still consumes. One with free slots while its queues hold
 * startable work that takes none for 30 s is stalled: its liveness fails so the orchestrator
 * restarts it, and a worker's heartbeat says so, so the API's readiness stops counting it.
 */
export class ConsumerHealth {
  readonly monitor: ConsumptionMonitor;
  private status: WorkerStatus;
  private timer: NodeJS.Timeout | undefined;
  /** A check waits for Redis as long as it takes; while one does, the next is skipped. */
  private checking = false;
  private stopped = false;

  constructor(private readonly options: ConsumerHealthOptions) {
    this.monitor = new ConsumptionMonitor(
      new Map(options.queues.map(({ queue, capacity }) => [queue.name, capacity])),
      options.stallAfterMs,
    );
    this.status = this.statusOf([]);
  }

  /** Checks now, then every {@link HEALTH_CHECK_INTERVAL_MS}. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(
      () => void this.check(),
      this.options.intervalMs ?? HEALTH_CHECK_INTERVAL_MS,
    );
    this.timer.unref();
  }

  /** No check after this, and none in progress reports: a report would undo a removal. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Liveness: fails only when this process is stalled, never because Redis is away. */
  liveness(): ConsumerLiveness {
    return {
      ok: this.status.consuming,
      body: { status: this.status.consuming ? 'ok' : 'stalled', ...this.status },
    };
  }

  /** One check: the queues' backlog read, the verdict made and reported. Redis trouble skips it. */
  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const now = Date.now();
      const depths = await Promise.all(
        this.options.queues.map(({ queue }) => readQueueDepth(queue, now)),
      );
      const backlogs = new Map(depths.map((depth) => [depth.queue, depth.backlog]));
      this.status = this.statusOf(this.monitor.stalled(backlogs, now));
      if (!this.stopped) await this.options.report?.(this.status, now);
    } catch {
      // Redis away: a worker's heartbeat lapses on its own, and readiness says so.
    } finally {
      this.checking = false;
    }
  }

  private statusOf(stalled: string[]): WorkerStatus {
    return {
      consuming: stalled.length === 0,
      stalled,
      in_flight: this.monitor.inFlight,
      capacity: this.monitor.capacity,
    };
  }
}
