import type {
  ApiKeyCreated,
  Job,
  JobList,
  JobRequestInput,
  JobStatus,
  JobStreamEvent,
  Scope,
  Tenant,
  TenantCreated,
  TenantLimits,
  UsageReport,
} from '@switchyard/core';
import { createKey, createTenant, listTenants } from './admin';
import { Batches } from './batches';
import {
  cancelJob,
  getJob,
  type ListOptions,
  listAllJobs,
  listJobs,
  type SubmitOptions,
  type Submitted,
  submitJob,
  waitForJob,
  type WaitOptions,
} from './jobs';
import { type StreamOptions, streamJobEvents } from './stream';
import { Transport, type TransportOptions } from './transport';
import { getUsage, type UsageOptions } from './usage';

export type ClientOptions = TransportOptions;

/**
 * A typed client for the Switchyard HTTP API, on `fetch` alone (Node 20+, Deno, Bun, browsers).
 * Every answer is checked against the contract's schemas; every error answer is a typed
 * SwitchyardError.
 */
export class SwitchyardClient {
  /** Many jobs in one request, with results as JSONL. */
  readonly batches: Batches;
  private readonly transport: Transport;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
    this.batches = new Batches(this.transport);
  }

  /**
   * Submits a job. Always sends an Idempotency-Key (a random one unless given), so the client's
   * own retries on 503, 429 and lost connections never create a second job.
   */
  submit(body: JobRequestInput, options?: SubmitOptions): Promise<Submitted> {
    return submitJob(this.transport, body, options);
  }

  /** The job; with `waitSeconds` (≤ 60), a long-poll that answers as soon as the job ends. */
  get(id: string, options?: { waitSeconds?: number }): Promise<Job> {
    return getJob(this.transport, id, options);
  }

  /** One page of the tenant's jobs, newest first. */
  list(options?: ListOptions): Promise<JobList> {
    return listJobs(this.transport, options);
  }

  /** Every job of the tenant, newest first, following `next_cursor`. */
  listAll(options?: { status?: JobStatus }): AsyncIterable<Job> {
    return listAllJobs(this.transport, options);
  }

  /** The job once it has ended (long-polls back to back); TimeoutError after `timeoutMs`. */
  wait(id: string, options?: WaitOptions): Promise<Job> {
    return waitForJob(this.transport, id, options);
  }

  /** Alias of `wait`, its name before version 0.2. */
  waitFor(id: string, options?: WaitOptions): Promise<Job> {
    return this.wait(id, options);
  }

  /**
   * The job's `status`, `delta` and `done` events as they happen; ends after `done`. A dropped
   * connection is resumed with `Last-Event-ID`: no event is lost or repeated.
   */
  stream(id: string, options?: StreamOptions): AsyncIterable<JobStreamEvent> {
    return streamJobEvents(this.transport, id, options);
  }

  /** Cancels a queued or running job; ConflictError if it has already ended. */
  cancel(id: string): Promise<Job> {
    return cancelJob(this.transport, id);
  }

  /** The tenant's usage per model or per day over a range of days. */
  usage(options?: UsageOptions): Promise<UsageReport> {
    return getUsage(this.transport, options);
  }

  /** Admin token: a new tenant with its first API key (shown once) and webhook secret. */
  createTenant(name: string, limits?: Partial<TenantLimits>): Promise<TenantCreated> {
    return createTenant(this.transport, name, limits);
  }

  /** Admin token: every tenant. */
  listTenants(): Promise<Tenant[]> {
    return listTenants(this.transport);
  }

  /** Admin token: another key for a tenant. */
  createKey(
    tenantId: string,
    options?: { name?: string; scopes?: Scope[] },
  ): Promise<ApiKeyCreated> {
    return createKey(this.transport, tenantId, options);
  }
}
