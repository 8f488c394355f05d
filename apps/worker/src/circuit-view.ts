import type { CircuitBreaker, CircuitPermit } from '@switchyard/providers';

/** How long this process trusts a "closed" answer before asking Redis again. */
const CLOSED_TRUST_MS = 1_000;

/**
 * The shared circuit breaker, read through a one-second local memory of closed circuits: a
 * healthy provider costs one Redis round trip per second per process, not one per call. An open
 * or half-open circuit is always asked (a half-open probe must be granted by Redis).
 */
export class CircuitView {
  private readonly closedUntil = new Map<string, number>();

  constructor(private readonly breaker: CircuitBreaker) {}

  async acquire(target: string): Promise<CircuitPermit> {
    const now = Date.now();
    if ((this.closedUntil.get(target) ?? 0) > now) {
      return { allowed: true, state: 'closed', retryInMs: 0, probe: false };
    }
    const permit = await this.breaker.acquire(target, now);
    if (permit.state === 'closed') this.closedUntil.set(target, now + CLOSED_TRUST_MS);
    else this.closedUntil.delete(target);
    return permit;
  }

  async record(target: string, outcome: 'success' | 'failure'): Promise<void> {
    const state = await this.breaker.record(target, outcome);
    if (state !== 'closed') this.closedUntil.delete(target);
  }
}
