import {
  ApiKeyCreated,
  ErrorBody,
  Job,
  JobList,
  type JobRequestInput,
  type JobStatus,
  type Scope,
  Tenant,
  TenantCreated,
  type TenantLimits,
  isFinalStatus,
} from '@switchyard/core';
import type { z } from 'zod';
import { SwitchyardError } from './switchyard-error';

export interface ClientOptions {
  /** e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** A tenant API key, or the admin token for admin calls. */
  apiKey: string;
  fetch?: typeof fetch;
  /**
   * Retries of a request answered 503 (the API cannot reach its store) or not answered at all,
   * honouring `Retry-After`. Only requests that are safe to repeat are retried: reads, and
   * submissions that carry an Idempotency-Key. @defaultValue 3
   */
  maxRetries?: number;
}

export interface Submitted {
  job: Job;
  /** True when an Idempotency-Key matched an earlier request. */
  replayed: boolean;
}

/** The longest hold the API grants one long-poll. */
const MAX_WAIT_SECONDS = 60;

/** A typed client for the Switchyard HTTP API. Responses are validated with the contract's schemas. */
export class SwitchyardClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  async submit(
    body: JobRequestInput,
    options: { idempotencyKey?: string; waitSeconds?: number } = {},
  ): Promise<Submitted> {
    const headers: Record<string, string> = {};
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    if (options.waitSeconds) headers.Prefer = `wait=${options.waitSeconds}`;
    const response = await this.request('POST', '/v1/jobs', body, headers);
    return {
      job: await this.parse(Job, response),
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  }

  /** The job; with `waitSeconds`, a long-poll that returns early when the job ends. */
  async get(id: string, options: { waitSeconds?: number } = {}): Promise<Job> {
    const query = options.waitSeconds ? `?wait=${options.waitSeconds}` : '';
    return this.parse(Job, await this.request('GET', `/v1/jobs/${encodeURIComponent(id)}${query}`));
  }

  async list(
    options: { status?: JobStatus; limit?: number; cursor?: string } = {},
  ): Promise<JobList> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options))
      if (value !== undefined) query.set(key, String(value));
    const suffix = query.size ? `?${query}` : '';
    return this.parse(JobList, await this.request('GET', `/v1/jobs${suffix}`));
  }

  async cancel(id: string): Promise<Job> {
    return this.parse(Job, await this.request('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`));
  }

  /**
   * Waits for a final status with back-to-back long-polls (no sleeping in between), calling
   * `onPoll` after each with the latest job. Rejects after `timeoutMs`.
   */
  async waitFor(
    id: string,
    options: { timeoutMs?: number; onPoll?: (job: Job) => void } = {},
  ): Promise<Job> {
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    for (;;) {
      const left = Math.ceil((deadline - Date.now()) / 1_000);
      const job = await this.get(id, {
        waitSeconds: Math.max(1, Math.min(MAX_WAIT_SECONDS, left)),
      });
      options.onPoll?.(job);
      if (isFinalStatus(job.status)) return job;
      if (Date.now() >= deadline)
        throw new Error(`job ${id} is still ${job.status} after the timeout`);
    }
  }

  /** Admin: a new tenant with its first key (shown once) and webhook secret. */
  async createTenant(name: string, limits?: Partial<TenantLimits>): Promise<TenantCreated> {
    return this.parse(
      TenantCreated,
      await this.request('POST', '/admin/tenants', { name, limits }),
    );
  }

  async listTenants(): Promise<Tenant[]> {
    const response = await this.request('GET', '/admin/tenants');
    const body = (await response.json()) as { data: unknown[] };
    return body.data.map((tenant) => Tenant.parse(tenant));
  }

  /** Admin: another key for a tenant. */
  async createKey(
    tenantId: string,
    options: { name?: string; scopes?: Scope[] } = {},
  ): Promise<ApiKeyCreated> {
    return this.parse(
      ApiKeyCreated,
      await this.request('POST', `/admin/tenants/${encodeURIComponent(tenantId)}/keys`, options),
    );
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const repeatable = method === 'GET' || headers['Idempotency-Key'] !== undefined;
    const maxRetries = repeatable ? (this.options.maxRetries ?? 3) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce(method, path, body, headers);
      } catch (error) {
        const retryable =
          error instanceof SwitchyardError &&
          (error.status === 503 || error.type === 'network_error');
        if (!retryable || attempt >= maxRetries) throw error;
        await delay(retryDelayMs(error, attempt));
      }
    }
  }

  private async requestOnce(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.options.apiKey}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new SwitchyardError(
        0,
        'network_error',
        `cannot reach ${this.baseUrl} (${reason})`,
        null,
        undefined,
        undefined,
      );
    }
    if (response.ok) return response;
    const text = await response.text();
    const parsed = safeJson(text);
    const error = ErrorBody.safeParse(parsed);
    if (error.success) {
      const { type, message, request_id, details } = error.data.error;
      throw new SwitchyardError(
        response.status,
        type,
        message,
        request_id,
        details,
        response.headers,
      );
    }
    throw new SwitchyardError(
      response.status,
      'internal_error',
      `HTTP ${response.status}: ${text.slice(0, 200)}`,
      null,
      undefined,
      response.headers,
    );
  }

  private async parse<T extends z.ZodType>(schema: T, response: Response): Promise<z.infer<T>> {
    return schema.parse(await response.json());
  }
}

/** The server's `Retry-After` when it gave one, else 0.5 s doubling. */
function retryDelayMs(error: SwitchyardError, attempt: number): number {
  const seconds = Number(error.headers?.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 500 * 2 ** attempt;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
