import type { CircuitBreaker, CircuitPermit, CircuitState } from '@switchyard/providers';

/** How long this process trusts a "closed" answer before asking Redis again. */
const CLOSED_TRUST_MS = 1_000;
/** How often successes on healthy circuits are sent, in one count per model. */
const SUCCESS_FLUSH_MS = 1_000;

/**
 * The shared circuit breaker as one process uses it. A healthy provider costs about one Redis
 * round trip per second per model, not two per call: a "closed" answer is trusted for a second,
 * and successes on a closed circuit are counted here and sent once a second. Failures, probes
 * and anything on a circuit that is not closed go to Redis at once, successes gathered before a
 * failure going first (a failure after them must not be reset by them).
 */
export class CircuitView {
  private readonly closedUntil = new Map<string, number>();
  private readonly successes = new Map<string, number>();
  private readonly flusher: NodeJS.Timeout;

  constructor(
    private readonly breaker: CircuitBreaker,
    /** Told the state of a circuit whenever Redis reports it (for the circuit-state gauge). */
    private readonly onState: (target: string, state: CircuitState) => void = () => undefined,
  ) {
    // A flush that fails (Redis away) loses a second of successes: they only dilute failure rates.
    this.flusher = setInterval(() => void this.flush().catch(() => undefined), SUCCESS_FLUSH_MS);
    this.flusher.unref();
  }

  async acquire(target: string): Promise<CircuitPermit> {
    const now = Date.now();
    if ((this.closedUntil.get(target) ?? 0) > now) {
      return { allowed: true, state: 'closed', retryInMs: 0, probe: false };
    }
    const permit = await this.breaker.acquire(target, now);
    this.onState(target, permit.state);
    if (permit.state === 'closed') this.closedUntil.set(target, now + CLOSED_TRUST_MS);
    else this.closedUntil.delete(target);
    return permit;
  }

  async record(target: string, outcome: 'success' | 'failure', probe: boolean): Promise<void> {
    if (outcome === 'success' && !probe && (this.closedUntil.get(target) ?? 0) > Date.now()) {
      this.successes.set(target, (this.successes.get(target) ?? 0) + 1);
      return;
    }
    await this.flushTarget(target);
    const state = await this.breaker.record(target, outcome);
    this.onState(target, state);
    if (state !== 'closed') this.closedUntil.delete(target);
  }

  /** Sends the gathered successes (on shutdown too, so none are lost). */
  async flush(): Promise<void> {
    await Promise.all([...this.successes.keys()].map((target) => this.flushTarget(target)));
  }

  close(): Promise<void> {
    clearInterval(this.flusher);
    return this.flush();
  }

  private async flushTarget(target: string): Promise<void> {
    const count = this.successes.get(target);
    if (!count) return;
    this.successes.delete(target);
    await this.breaker.record(target, 'success', Date.now(), count);
  }
}
