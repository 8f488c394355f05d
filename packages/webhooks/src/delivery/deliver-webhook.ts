import http from 'node:http';
import https from 'node:https';
import { type LookupFunction } from 'node:net';
import { guardedRequestOptions, type Resolve } from '../ssrf';
import { type DeliveryError, type DeliveryOutcome } from './delivery-outcome';
import { failureFromError, INVALID_URL_CODE, TIMEOUT_CODE, toDeliveryError } from './failure';
import { webhookAgent } from './http-agents';
import { retryAfterFor } from './retry-after';

/**
 * Deadline for a whole attempt: connect, send, response headers and body.
 *
 * @defaultValue 15_000
 */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

/**
 * How much of a response body is read (and discarded). Reading to the end lets the socket go
 * back to the pool; past this, the socket is dropped instead so a receiver cannot keep us busy.
 *
 * @defaultValue 65_536
 */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;

/** Input of {@link deliverWebhook}. */
export interface DeliverWebhookInput {
  /** The endpoint; http(s) only. Redirects from it are never followed. */
  readonly url: string;
  /** The JSON text exactly as signed: receivers verify these bytes. */
  readonly body: string;
  /** Ready headers (e.g. from `signWebhook`); `content-type` and `content-length` are ours. */
  readonly headers: Readonly<Record<string, string>>;
  /** @defaultValue {@link DEFAULT_DELIVERY_TIMEOUT_MS} */
  readonly timeoutMs?: number;
  /** Allow loopback/private targets (development, self-hosting). */
  readonly allowPrivate: boolean;
  /** The clock for HTTP-date `Retry-After` values. @defaultValue `Date.now` */
  readonly now?: () => number;
  /** DNS seam for tests, passed to the SSRF guard. @defaultValue the system resolver */
  readonly resolve?: Resolve;
}

/** The http(s) URL, or why there is none. Checked here so a typo is not reported as SSRF. */
function parseTarget(raw: string): URL | DeliveryError {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: INVALID_URL_CODE, message: `webhook URL is not a valid absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      code: INVALID_URL_CODE,
      message: `webhook URL scheme "${url.protocol}" is not allowed; use http: or https:`,
    };
  }
  return url;
}

/** Everything one exchange needs once the target has passed the synchronous checks. */
interface Exchange {
  readonly url: URL;
  readonly lookup: LookupFunction;
  readonly input: DeliverWebhookInput;
  readonly elapsed: () => number;
}

/** The outcome for a complete answer. */
function outcomeForStatus(
  statusCode: number,
  retryAfterMs: number | undefined,
  latencyMs: number,
): DeliveryOutcome {
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode, latencyMs };
  if (statusCode === 410) return { kind: 'gone', statusCode, latencyMs };
  return {
    kind: 'failed',
    reason: 'http-status',
    statusCode,
    latencyMs,
    retryable: true,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Runs the POST; resolves exactly once, whatever the socket does. */
function exchange({ url, lookup, input, elapsed }: Exchange): Promise<DeliveryOutcome> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  return new Promise((resolve) => {
    let statusCode: number | undefined;
    let settled = false;
    let request: http.ClientRequest | undefined;
    const finish = (outcome: DeliveryOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (error: unknown): void =>
      finish(failureFromError(toDeliveryError(error), elapsed(), statusCode));

    // One timer for the whole exchange: socket timeouts only measure inactivity, so a receiver
    // trickling a byte at a time (or a slow DNS answer) would never trip them.
    const timer = setTimeout(() => {
      const phase = statusCode === undefined ? 'waiting for the response' : 'reading the body';
      const error = Object.assign(
        new Error(`webhook delivery timed out after ${timeoutMs} ms (${phase})`),
        { code: TIMEOUT_CODE },
      );
      fail(error);
      request?.destroy(error);
    }, timeoutMs);

    const transport = url.protocol === 'https:' ? https : http;
    try {
      request = transport.request(url, {
        method: 'POST',
        agent: webhookAgent(url.protocol === 'https:' ? 'https:' : 'http:', input.allowPrivate),
        lookup,
        headers: {
          ...input.headers,
          // Set after the caller's: Node matches header names case-insensitively, last wins.
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(input.body),
        },
      });
    } catch (error) {
      // Node validates headers synchronously; a bad one fails the same way every time.
      finish(failureFromError(toDeliveryError(error), elapsed(), undefined, 'invalid-request'));
      return;
    }

    request.on('error', fail);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      statusCode = status;
      const retryAfterMs = retryAfterFor(
        status,
        response.headers['retry-after'],
        (input.now ?? Date.now)(),
      );
      const answered = (): void => finish(outcomeForStatus(status, retryAfterMs, elapsed()));
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BODY_BYTES) {
          // The status is what counts; dropping the socket is cheaper than draining a flood.
          answered();
          response.destroy();
        }
      });
      response.on('end', answered);
      response.on('error', fail);
      // A body cut short by the receiver: the answer is incomplete, so it is not an answer.
      response.on('close', () => {
        if (!response.complete) {
          fail(
            Object.assign(new Error('connection closed before the response body ended'), {
              code: 'ECONNRESET',
            }),
          );
        }
      });
    });
    request.end(input.body);
  });
}

/**
 * POSTs one webhook and says how it went. Never throws for a network condition, a refused
 * target or a bad URL: those are {@link DeliveryOutcome}s, so the caller has one path to handle.
 *
 * - Uses process-wide keep-alive agents (`node:http`/`node:https`; global `fetch` is several
 *   times slower for this) and the SSRF guard's pinned `lookup`.
 * - Never follows redirects: a 3xx is a failure with its status code.
 * - Reads and discards up to {@link MAX_RESPONSE_BODY_BYTES} of the answer so the socket is
 *   reused; the whole exchange is cut at `timeoutMs`.
 * - 2xx is `delivered`, 410 is `gone`, anything else `failed` (with `retryAfterMs` for a 429 or
 *   503 carrying `Retry-After`, and `retryable: false` when the URL can never work).
 */
export async function deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);

  const url = parseTarget(input.url);
  if (!(url instanceof URL)) return failureFromError(url, elapsed(), undefined);
  let lookup: LookupFunction;
  try {
    // Throws for IP literals and local names, which Node connects to without any lookup.
    ({ lookup } = guardedRequestOptions(url, {
      allowPrivate: input.allowPrivate,
      ...(input.resolve === undefined ? {} : { resolve: input.resolve }),
    }));
  } catch (error) {
    return failureFromError(toDeliveryError(error), elapsed(), undefined);
  }
  return exchange({ url, lookup, input, elapsed });
}
