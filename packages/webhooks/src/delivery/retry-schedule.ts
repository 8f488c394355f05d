const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Waits before each retry, Svix/Stripe style: after the first attempt fails the second waits
 * 5 s, the third 5 min, ... the eighth (last) 10 h, i.e. about 27.6 h of trying in all.
 *
 * @defaultValue [5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h]
 */
export const DEFAULT_WEBHOOK_SCHEDULE_MS: readonly number[] = Object.freeze([
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
]);

/**
 * Jitter spreads each delay uniformly over ±this fraction so endpoints that failed together
 * (a receiver outage) are not all retried in the same second.
 *
 * @defaultValue 0.2
 */
export const DEFAULT_RETRY_JITTER = 0.2;

/** Options of {@link nextRetryDelay}. */
export interface NextRetryDelayOptions {
  /** The receiver's `Retry-After`, in ms: the retry never comes sooner. */
  readonly retryAfterMs?: number;
  /** Uniform in [0, 1); injectable so tests are exact. @defaultValue `Math.random` */
  readonly random?: () => number;
  /** @defaultValue {@link DEFAULT_RETRY_JITTER} */
  readonly jitter?: number;
}

/**
 * How long to wait before the next attempt, or `undefined` when the schedule is exhausted.
 *
 * With one draw `r = random()`:
 * - the scheduled step `schedule[attemptsMade - 1]` is jittered symmetrically:
 *   `step × (1 + jitter × (2r − 1))`, i.e. within ±20% by default (not full jitter: a webhook
 *   retried after 5 s should not sometimes be retried after 5 ms);
 * - a `retryAfterMs` is a floor, capped at the schedule's longest step so a receiver cannot
 *   park a message for days; when the floor wins it is jittered upwards only
 *   (`floor × (1 + jitter × r)`), so it is still honoured yet spread out.
 *
 * @param attemptsMade - Attempts already made, counting the one that just failed (BullMQ's
 *   `attemptsMade` in a backoff strategy): 1 after the first failure.
 * @returns Whole milliseconds, or `undefined` after `schedule.length + 1` attempts.
 * @throws RangeError when `attemptsMade` is not a whole number ≥ 1.
 */
export function nextRetryDelay(
  attemptsMade: number,
  schedule: readonly number[] = DEFAULT_WEBHOOK_SCHEDULE_MS,
  options: NextRetryDelayOptions = {},
): number | undefined {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be a whole number >= 1, got ${attemptsMade}`);
  }
  const step = schedule[attemptsMade - 1];
  if (step === undefined) return undefined;
  const jitter = options.jitter ?? DEFAULT_RETRY_JITTER;
  const r = (options.random ?? Math.random)();
  const scheduled = step * (1 + jitter * (2 * r - 1));
  const floor = Math.min(Math.max(options.retryAfterMs ?? 0, 0), Math.max(...schedule));
  return Math.round(Math.max(scheduled, floor * (1 + jitter * r)));
}
