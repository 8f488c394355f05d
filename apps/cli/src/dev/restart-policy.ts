/** The first wait before restarting a process that crashed. */
export const RESTART_FIRST_DELAY_MS = 1_000;
/** The longest wait between restarts of a process that keeps crashing. */
export const RESTART_MAX_DELAY_MS = 30_000;
/** A process that ran this long before crashing counts as healthy: its next restart is quick. */
export const HEALTHY_RUN_MS = 60_000;

/**
 * When to restart a crashed process: at once-ish the first time, then backing off (doubling up
 * to 30 s) while it keeps crashing, so a process that cannot start does not spin the machine.
 */
export class RestartPolicy {
  private crashesInARow = 0;
  private startedAt = 0;

  /** Call when the process is (re)started. */
  started(now: number): void {
    this.startedAt = now;
  }

  /** The wait before the next restart, after a crash at `now`. */
  nextDelay(now: number): number {
    if (now - this.startedAt >= HEALTHY_RUN_MS) this.crashesInARow = 0;
    const delay = Math.min(RESTART_FIRST_DELAY_MS * 2 ** this.crashesInARow, RESTART_MAX_DELAY_MS);
    this.crashesInARow++;
    return delay;
  }
}
