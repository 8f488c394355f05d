import type { JobStatus } from '@switchyard/core';

/** Where a provider limit counts: one provider API key, and one model on it or all of them. */
export interface LimitScope {
  provider: string;
  /** A stable digest of the provider API key. */
  keyId: string;
  /** The model the limit is for; absent for the key's own limits, shared by all its models. */
  model?: string;
}

/** One counter of a limit: a request or token window, the calls in flight, or a hold. */
export type LimitCounter =
  { kind: 'req' | 'tok'; windowMs: number } | { kind: 'inflight' } | { kind: 'hold' };

/**
 * Every Redis key and channel Switchyard uses, under one namespace so several deployments (or
 * test files) can share a Redis without seeing each other.
 */
export class Keys {
  constructor(readonly namespace = 'sy') {}

  /** BullMQ's own key prefix: its queues live under `<namespace>:bull:<queue>:…`. */
  get bullPrefix(): string {
    return `${this.namespace}:bull`;
  }
  job(jobId: string): string {
    return `${this.namespace}:job:${jobId}`;
  }
  /** A tenant's jobs, scored by creation time; the `…:<status>` sets index them by status. */
  tenantJobs(tenantId: string): string {
    return this.tenantJobsPrefix + tenantId;
  }
  /** What every tenant's job index starts with (scripts append the tenant ID). */
  get tenantJobsPrefix(): string {
    return `${this.namespace}:tenant-jobs:`;
  }
  tenantJobsByStatus(tenantId: string, status: JobStatus): string {
    return `${this.tenantJobs(tenantId)}:${status}`;
  }
  /**
   * Jobs whose record is written but whose queue item is not yet known to exist, scored by
   * creation time (see EnqueueReconciler): the create script adds them, a worker's claim or the
   * reconciler removes them.
   */
  get pendingEnqueue(): string {
    return `${this.namespace}:pending-enqueue`;
  }
  /** Final jobs by when their record expires, so their index entries can go too. */
  get expiring(): string {
    return `${this.namespace}:expiring`;
  }
  idempotency(tenantId: string, keyHash: string): string {
    return `${this.namespace}:idem:${tenantId}:${keyHash}`;
  }
  /** Pub/sub channel of one job's events (status changes, later output deltas). */
  jobEvents(jobId: string): string {
    return `${this.namespace}:events:${jobId}`;
  }
  /**
   * Pub/sub channel on which a job's output deltas are announced as they enter its event stream
   * (a wake-up for the API's event streams; the deltas themselves are read from the stream).
   */
  jobDeltas(jobId: string): string {
    return `${this.namespace}:job-deltas:${jobId}`;
  }
  /**
   * One job's events (a Redis Stream: status changes, output deltas, `done`), what
   * `GET /v1/jobs/{id}/events` replays; capped, and expiring with the job's record.
   */
  jobStream(jobId: string): string {
    return `${this.namespace}:job-stream:${jobId}`;
  }
  /** Pub/sub channel on which the API tells every worker to abort a running job. */
  get cancelChannel(): string {
    return `${this.namespace}:cancel`;
  }
  /** Worker heartbeats, scored by last beat (readiness asks "is anyone consuming?"). */
  get workers(): string {
    return `${this.namespace}:workers`;
  }
  /** A worker's last reported status (JSON), expiring with its heartbeat. */
  workerStatus(workerId: string): string {
    return `${this.namespace}:worker-status:${workerId}`;
  }
  tenant(tenantId: string): string {
    return `${this.namespace}:tenant:${tenantId}`;
  }
  get tenants(): string {
    return `${this.namespace}:tenants`;
  }
  apiKey(keyHash: string): string {
    return `${this.namespace}:apikey:${keyHash}`;
  }
  tenantApiKeys(tenantId: string): string {
    return `${this.namespace}:tenant-keys:${tenantId}`;
  }
  apiKeyPrefix(prefix: string): string {
    return `${this.namespace}:apikey-prefix:${prefix}`;
  }
  rateLimit(tenantId: string): string {
    return `${this.namespace}:ratelimit:${tenantId}`;
  }
  /** Spend in nano-dollars for one tenant in one UTC month (`YYYY-MM`). */
  monthlySpend(tenantId: string, month: string): string {
    return `${this.namespace}:spend:${tenantId}:${month}`;
  }
  /** Usage counters of one tenant on one UTC day (`YYYY-MM-DD`): a hash `<model>|<measure>`. */
  dailyUsage(tenantId: string, day: string): string {
    return `${this.namespace}:usage:${tenantId}:${day}`;
  }
  /** A tenant's webhook signing secrets: secret → `<created ms>:<expires ms, 0 = current>`. */
  webhookSecrets(tenantId: string): string {
    return `${this.namespace}:webhook-secrets:${tenantId}`;
  }
  /** Webhook events waiting for the dispatcher (a stream), written with the job's change. */
  get webhookOutbox(): string {
    return `${this.namespace}:webhook-outbox`;
  }
  /** A job's webhook delivery attempts, oldest first (a list of JSON). */
  webhookDeliveries(jobId: string): string {
    return `${this.namespace}:webhook-deliveries:${jobId}`;
  }
  /** A cached provider response, by the request's hash (`cacheKey()` in the providers). */
  responseCache(requestHash: string): string {
    return `${this.namespace}:cache:${requestHash}`;
  }
  /** The lease of the one worker making a call that identical concurrent calls wait for. */
  dedupLease(requestHash: string): string {
    return `${this.namespace}:inflight:${requestHash}`;
  }
  /** Pub/sub channel on which that worker announces the call's outcome to the waiting ones. */
  dedupDone(requestHash: string): string {
    return `${this.namespace}:inflight-done:${requestHash}`;
  }
  /** A provider target's circuit breaker (one hash per `provider/model`). */
  circuit(target: string): string {
    return `${this.namespace}:circuit:${target}`;
  }
  /** One counter of the shared provider limiter (see limit-rules.ts in the providers). */
  limit(scope: LimitScope, counter: LimitCounter): string {
    const base = `${this.namespace}:limit:${scope.provider}:${scope.keyId}`;
    const scoped = scope.model === undefined ? base : `${base}:${scope.model}`;
    return counter.kind === 'req' || counter.kind === 'tok'
      ? `${scoped}:${counter.kind}:${counter.windowMs}`
      : `${scoped}:${counter.kind}`;
  }
}
