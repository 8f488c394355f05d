import { sha256Hex } from '@switchyard/core';
import type { Redis } from 'ioredis';
import type { Keys } from '@switchyard/redis-kit';

/** A finished claim lives 24 hours, as the contract (and Stripe) promise. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/**
 * An unfinished claim is a lease: if its request dies before creating the job, the key is free
 * again after this long instead of answering "in flight" for a day.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;

interface Entry {
  body: string;
  job: string;
  done: boolean;
}

/** The outcome of presenting an Idempotency-Key. */
export type IdempotencyClaim =
  | { kind: 'claimed'; commit: () => Promise<void>; release: () => Promise<void> }
  | { kind: 'replay'; jobId: string }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

/**
 * Idempotency keys, scoped per tenant. The first request with a key claims it (SET NX), so of
 * any number of concurrent requests exactly one goes on to create the job; the others see the
 * claim: a different body is a mismatch, a finished one is replayed, an unfinished one is in
 * flight unless its job already exists (its request created the job, then died or could not
 * record that it had): then it is replayed too.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly leaseMs = IDEMPOTENCY_LEASE_MS,
  ) {}

  async claim(
    tenantId: string,
    idempotencyKey: string,
    bodyHash: string,
    jobId: string,
    jobExists: (jobId: string) => Promise<boolean>,
  ): Promise<IdempotencyClaim> {
    const key = this.keys.idempotency(tenantId, sha256Hex(idempotencyKey));
    const entry: Entry = { body: bodyHash, job: jobId, done: false };
    for (;;) {
      const set = await this.redis.set(key, JSON.stringify(entry), 'PX', this.leaseMs, 'NX');
      if (set === 'OK') {
        return {
          kind: 'claimed',
          commit: () => this.commit(key, entry),
          release: async () => {
            await this.redis.del(key);
          },
        };
      }
      const stored = await this.redis.get(key);
      if (stored === null) continue; // released or expired between our two reads: claim again
      const existing = JSON.parse(stored) as Entry;
      if (existing.body !== bodyHash) return { kind: 'mismatch' };
      if (existing.done) return { kind: 'replay', jobId: existing.job };
      if (!(await jobExists(existing.job))) return { kind: 'in_flight' };
      await this.commit(key, existing);
      return { kind: 'replay', jobId: existing.job };
    }
  }

  private async commit(key: string, entry: Entry): Promise<void> {
    await this.redis.set(
      key,
      JSON.stringify({ ...entry, done: true }),
      'PX',
      IDEMPOTENCY_TTL_MS,
      'XX',
    );
  }
}
