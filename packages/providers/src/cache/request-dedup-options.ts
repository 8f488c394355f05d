import type { ProviderResponse } from '../types';

/** A leader's lease when no `leaseMs` is given: two minutes, longer than a provider call. */
export const DEDUP_LEASE_MS = 120_000;
/** How many leaders a caller waits on, when no `maxWaits` is given, before calling itself. */
export const DEDUP_MAX_WAITS = 3;

export interface RequestDedupOptions {
  /**
   * How long a leader holds the key (Redis PX). It bounds how long followers wait on a leader
   * that died; keep it above the longest provider call, or a second leader starts a second call.
   * @defaultValue 120_000
   */
  leaseMs?: number;
  /**
   * Longest a follower waits for one leader's result before trying to lead itself.
   * @defaultValue the lease, `leaseMs`
   */
  waitMs?: number;
  /**
   * How many times a caller waits on other callers before making its own call without
   * coordination: a job is never stuck behind leaders that keep failing or stalling.
   * @defaultValue 3
   */
  maxWaits?: number;
  /**
   * Called each time a caller starts waiting for another caller's result (for metrics and tests).
   * @defaultValue undefined
   */
  onWait?: (key: string) => void;
}

export interface DedupResult {
  response: ProviderResponse;
  /**
   * Where the answer came from: `cache` (a stored answer), `dedup` (an identical call in flight
   * elsewhere, followed) or `call` (this caller's own call).
   */
  source: 'cache' | 'dedup' | 'call';
}
