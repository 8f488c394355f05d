import { DEFAULT_WEBHOOK_SCHEDULE_MS, nextRetryDelay } from '../src/delivery';

const MIDDLE = (): number => 0.5; // no jitter: 1 + 0.2 × (2 × 0.5 − 1) = 1
const LOWEST = (): number => 0; // −20%
const HIGHEST = (): number => 0.75; // +10% (r = 0.75 → 1 + 0.2 × 0.5)

describe('DEFAULT_WEBHOOK_SCHEDULE_MS', () => {
  it('is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(DEFAULT_WEBHOOK_SCHEDULE_MS).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
  });
});

describe('nextRetryDelay', () => {
  it('waits schedule[attemptsMade - 1] exactly when random() is 0.5', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) =>
      nextRetryDelay(n, DEFAULT_WEBHOOK_SCHEDULE_MS, { random: MIDDLE }),
    );
    expect(delays).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
  });

  it('jitters within ±20%: random() 0 gives −20%, 0.75 gives +10%, →1 approaches +20%', () => {
    expect(nextRetryDelay(1, DEFAULT_WEBHOOK_SCHEDULE_MS, { random: LOWEST })).toBe(4_000);
    expect(nextRetryDelay(2, DEFAULT_WEBHOOK_SCHEDULE_MS, { random: HIGHEST })).toBe(330_000);
    expect(nextRetryDelay(1, DEFAULT_WEBHOOK_SCHEDULE_MS, { random: () => 0.999999 })).toBe(6_000);
  });

  it('honours a custom jitter fraction and schedule', () => {
    expect(nextRetryDelay(2, [100, 1_000], { random: LOWEST, jitter: 0.5 })).toBe(500);
    expect(nextRetryDelay(1, [100, 1_000], { random: LOWEST, jitter: 0 })).toBe(100);
  });

  it('is exhausted after 7 retries (8 attempts made) and for an empty schedule', () => {
    expect(nextRetryDelay(7, DEFAULT_WEBHOOK_SCHEDULE_MS, { random: MIDDLE })).toBe(36_000_000);
    expect(nextRetryDelay(8, DEFAULT_WEBHOOK_SCHEDULE_MS, { random: MIDDLE })).toBeUndefined();
    expect(nextRetryDelay(100, DEFAULT_WEBHOOK_SCHEDULE_MS, { random: MIDDLE })).toBeUndefined();
    expect(nextRetryDelay(1, [], { random: MIDDLE })).toBeUndefined();
  });

  it('uses the default schedule when none is given', () => {
    expect(nextRetryDelay(3, undefined, { random: MIDDLE })).toBe(1_800_000);
  });

  it('treats Retry-After as a floor: a longer one wins, jittered upwards only', () => {
    // Scheduled 5 s, receiver asks 7 s.
    expect(
      nextRetryDelay(1, DEFAULT_WEBHOOK_SCHEDULE_MS, { retryAfterMs: 7_000, random: LOWEST }),
    ).toBe(7_000);
    expect(
      nextRetryDelay(1, DEFAULT_WEBHOOK_SCHEDULE_MS, { retryAfterMs: 7_000, random: MIDDLE }),
    ).toBe(7_700);
  });

  it('ignores a Retry-After shorter than the jittered step', () => {
    expect(
      nextRetryDelay(2, DEFAULT_WEBHOOK_SCHEDULE_MS, { retryAfterMs: 7_000, random: LOWEST }),
    ).toBe(240_000);
    expect(
      nextRetryDelay(1, DEFAULT_WEBHOOK_SCHEDULE_MS, { retryAfterMs: 0, random: MIDDLE }),
    ).toBe(5_000);
  });

  it('caps the Retry-After floor at the longest step of the schedule', () => {
    const week = 7 * 24 * 3_600_000;
    expect(
      nextRetryDelay(1, DEFAULT_WEBHOOK_SCHEDULE_MS, { retryAfterMs: week, random: LOWEST }),
    ).toBe(36_000_000);
    expect(nextRetryDelay(1, [1_000, 2_000], { retryAfterMs: week, random: LOWEST })).toBe(2_000);
  });

  it('never retries on an exhausted schedule, whatever Retry-After says', () => {
    expect(nextRetryDelay(8, DEFAULT_WEBHOOK_SCHEDULE_MS, { retryAfterMs: 1_000 })).toBeUndefined();
  });

  it('rejects attemptsMade that is not a whole number >= 1', () => {
    expect(() => nextRetryDelay(0)).toThrow(RangeError);
    expect(() => nextRetryDelay(1.5)).toThrow(RangeError);
    expect(() => nextRetryDelay(Number.NaN)).toThrow(RangeError);
  });
});
