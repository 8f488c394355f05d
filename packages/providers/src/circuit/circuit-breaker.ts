import type { Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import { acquireCircuitScript, recordCircuitScript } from './circuit-script';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Failures in a row, while closed, that open the circuit. @defaultValue 5 */
  consecutiveFailures?: number;
  /**
   * Share of failed calls in the rolling window, in (0, 1], that opens the circuit once the
   * window holds at least `minCalls` calls. @defaultValue 0.5
   */
  failureRate?: number;
  /**
   * Calls the window must hold before `failureRate` is judged, so 1 failure of 1 call does not
   * trip it. @defaultValue 20
   */
  minCalls?: number;
  /**
   * Length of the rolling window, ms. It is kept as 10 fixed buckets of `windowMs / 10`, so the
   * window really covers between 90% and 100% of this. @defaultValue 30_000
   */
  windowMs?: number;
  /**
   * How long an opened circuit refuses every call before it lets a probe through, ms.
   * @defaultValue 30_000
   */
  openMs?: number;
  /**
   * Lease of the half-open probe, ms: if its outcome is not recorded by then (its worker
   * crashed), the next caller becomes the probe instead. @defaultValue 60_000
   */
  probeTimeoutMs?: number;
}

export interface CircuitPermit {
  allowed: boolean;
  /** The state the call saw (`half_open` for the probe itself). */
  state: CircuitState;
  /** When refused: ms until a probe may go (the open period's end, or the probe lease's). */
  retryInMs: number;
  /** True when this permit is the half-open probe, whose outcome decides the circuit. */
  probe: boolean;
}

/** Fixed buckets in the rolling window: enough resolution, and a hash of 30 fields at most. */
const BUCKETS = 10;

/**
 * A circuit breaker per target (e.g. `openai/gpt-4o-mini`) whose state lives in Redis, so all
 * worker processes agree on it: when one worker's calls trip it, every worker stops calling.
 * Each operation is one atomic Lua script on one key (`<namespace>:circuit:<target>`).
 *
 * Closed: calls go. It opens after `consecutiveFailures` failures in a row, or when the rolling
 * window holds `minCalls` calls of which at least `failureRate` failed. Open: calls are refused
 * for `openMs`. Then half-open: one probe at a time is let through; its success closes the
 * circuit (counters reset), its failure opens it for another `openMs`.
 *
 * Time is the caller's clock (`now`, ms epoch), never Redis's, so tests can drive it; workers'
 * clocks are assumed to agree to well within a bucket. The key's TTL (refreshed on every write,
 * `windowMs + openMs + probeTimeoutMs`) makes idle targets vanish, i.e. start closed again.
 */
export class CircuitBreaker {
  private readonly consecutiveFailures: number;
  private readonly failureRate: number;
  private readonly minCalls: number;
  private readonly windowMs: number;
  private readonly openMs: number;
  private readonly probeTimeoutMs: number;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    options: CircuitBreakerOptions = {},
  ) {
    this.consecutiveFailures = positiveInteger(
      'consecutiveFailures',
      options.consecutiveFailures ?? 5,
    );
    this.failureRate = options.failureRate ?? 0.5;
    if (!(this.failureRate > 0 && this.failureRate <= 1)) {
      throw new RangeError(`failureRate must be in (0, 1], got ${this.failureRate}`);
    }
    this.minCalls = positiveInteger('minCalls', options.minCalls ?? 20);
    this.windowMs = positiveInteger('windowMs', options.windowMs ?? 30_000);
    this.openMs = positiveInteger('openMs', options.openMs ?? 30_000);
    this.probeTimeoutMs = positiveInteger('probeTimeoutMs', options.probeTimeoutMs ?? 60_000);
    // Long enough that window counts, an open period and a probe lease all outlive their use.
    this.ttlMs = this.windowMs + this.openMs + this.probeTimeoutMs;
  }

  /** The Redis key holding a target's circuit. */
  key(target: string): string {
    return this.keys.circuit(target);
  }

  /**
   * Asks whether a call to `target` may go. In half-open, the one caller that gets
   * `probe: true` must `record` its outcome; everyone else is refused until it does or its lease
   * (`probeTimeoutMs`) runs out.
   */
  async acquire(target: string, now = Date.now()): Promise<CircuitPermit> {
    const reply = await acquireCircuitScript.run(
      this.redis,
      { circuit: this.key(target) },
      { now, probe_lease_ms: this.probeTimeoutMs, ttl_ms: this.ttlMs },
    );
    if (!Array.isArray(reply) || reply.length !== 4) {
      throw new Error(`Unexpected circuit acquire reply: ${JSON.stringify(reply)}`);
    }
    const [allowed, state, retryInMs, probe] = reply as unknown[];
    return {
      allowed: allowed === 1,
      state: toState(state),
      retryInMs: Number(retryInMs),
      probe: probe === 1,
    };
  }

  /**
   * Records the outcome of a call to `target` and returns the state afterwards. What counts as a
   * failure is the caller's decision: record failures that say the provider is unhealthy (5xx,
   * timeouts, connection resets), and record 4xx and rate limits as successes or not at all,
   * since they are the request's or the account's fault and would otherwise trip the circuit for
   * everyone. Outcomes arriving while open are ignored (those calls started before it opened);
   * while half-open the outcome decides: success closes, failure reopens for `openMs`. `count`
   * records that many calls with the same outcome at once (successes gathered by a caller).
   */
  async record(
    target: string,
    outcome: 'success' | 'failure',
    now = Date.now(),
    count = 1,
  ): Promise<CircuitState> {
    const reply = await recordCircuitScript.run(
      this.redis,
      { circuit: this.key(target) },
      {
        now,
        outcome,
        trip_consecutive: this.consecutiveFailures,
        trip_rate: this.failureRate,
        min_calls: this.minCalls,
        bucket_ms: this.windowMs / BUCKETS,
        buckets: BUCKETS,
        open_ms: this.openMs,
        ttl_ms: this.ttlMs,
        count,
      },
    );
    return toState(reply);
  }

  /** The state of `target`'s circuit at `now`, without changing it. */
  async state(target: string, now = Date.now()): Promise<CircuitState> {
    // A single read is atomic on its own; no script needed.
    const openUntil = await this.redis.hget(this.key(target), 'open_until');
    if (openUntil === null) return 'closed';
    return now < Number(openUntil) ? 'open' : 'half_open';
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function toState(value: unknown): CircuitState {
  if (value === 'closed' || value === 'open' || value === 'half_open') return value;
  throw new Error(`Unexpected circuit state from Redis: ${JSON.stringify(value)}`);
}
