import type { z } from 'zod';
import {
  ConnectionError,
  errorFromAnswer,
  retryAfterSeconds,
  type SwitchyardError,
} from './errors';

export interface TransportOptions {
  /** Where the API listens, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** A tenant API key (`sy_live_…`), or the admin token for the admin calls. */
  apiKey: string;
  /** The fetch to use, e.g. one with a proxy agent. @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Retries of a request answered 503 or 429, or not answered at all, honouring `Retry-After`.
   * Only requests that are safe to repeat are retried: reads, and writes that carry an
   * Idempotency-Key (every submit and batch create does). @defaultValue 3
   */
  maxRetries?: number;
}

export type Query = Record<string, string | number | undefined>;

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  /** A value sent as JSON, or a string sent as is with `contentType`. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Longest `Retry-After` the client waits out by itself; a longer one is the caller's decision. */
const MAX_RETRY_AFTER_SECONDS = 60;

/** HTTP to the API: auth, JSON, typed errors, and retries of what is safe to repeat. */
export class Transport {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly maxRetries: number;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Bound at call time so a fetch replaced later (test doubles, polyfills) is the one used.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.maxRetries = options.maxRetries ?? 3;
  }

  /** The answer parsed and checked with `schema`. */
  async json<T extends z.ZodType>(schema: T, spec: RequestSpec): Promise<z.infer<T>> {
    const response = await this.send(spec);
    return schema.parse(await response.json());
  }

  /** A 2xx answer, its body unread; any other outcome throws the matching SwitchyardError. */
  async send(spec: RequestSpec): Promise<Response> {
    const repeatable = spec.method === 'GET' || spec.headers?.['Idempotency-Key'] !== undefined;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.sendOnce(spec);
      if (outcome instanceof Response) return outcome;
      const wait = retryDelayMs(outcome, attempt, repeatable ? this.maxRetries : 0);
      if (wait === null || spec.signal?.aborted) throw outcome;
      await sleep(wait, spec.signal);
    }
  }

  private async sendOnce(spec: RequestSpec): Promise<Response | SwitchyardError> {
    const url = this.url(spec.path, spec.query);
    const json = spec.body !== undefined && spec.contentType === undefined;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: spec.method,
        headers: {
          Authorization: `Bearer ${this.options.apiKey}`,
          ...(spec.body !== undefined && {
            'Content-Type': spec.contentType ?? 'application/json',
          }),
          ...spec.headers,
        },
        body: json ? JSON.stringify(spec.body) : (spec.body as string | undefined),
        signal: spec.signal,
      });
    } catch (error) {
      // An abort is the caller's decision, not a failure to retry or to dress up.
      if (spec.signal?.aborted) throw spec.signal.reason;
      return new ConnectionError(`cannot reach ${this.baseUrl} (${reason(error)})`, error);
    }
    if (response.ok) return response;
    return errorFromAnswer(response.status, await response.text(), response.headers);
  }

  url(path: string, query: Query = {}): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) search.set(key, String(value));
    const suffix = search.size > 0 ? `?${search}` : '';
    return `${this.baseUrl}${path}${suffix}`;
  }
}

/**
 * How long to wait before attempt `attempt + 1`, or null to give up: 503, 429 and no answer are
 * retried, after the server's `Retry-After` when it gave one, else 0.5 s doubling.
 */
export function retryDelayMs(
  error: SwitchyardError,
  attempt: number,
  maxRetries: number,
): number | null {
  const retryable = error.status === 503 || error.status === 429 || error.status === 0;
  if (!retryable || attempt >= maxRetries) return null;
  const retryAfter = retryAfterSeconds(error.headers);
  if (retryAfter === null) return 500 * 2 ** attempt;
  return retryAfter <= MAX_RETRY_AFTER_SECONDS ? retryAfter * 1_000 : null;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The most telling part of a fetch failure: undici hides the socket error in `cause`. */
export function reason(error: unknown): string {
  const { cause, message } = error as {
    cause?: { code?: string; message?: string };
    message?: string;
  };
  return cause?.code ?? cause?.message ?? message ?? String(error);
}

export const encodeId = encodeURIComponent;
