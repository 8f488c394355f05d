import { urlToHttpOptions } from 'node:url';
import { guardedRequestOptions, type Resolve } from '../ssrf';
import { type DeliveryError, type DeliveryOutcome } from './delivery-outcome';
import { exchange, type Target } from './exchange';
import { failureFromError, INVALID_URL_CODE, toDeliveryError } from './failure';

/**
 * Deadline for a whole attempt: connect, send, response headers and body.
 *
 * @defaultValue 15_000
 */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

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

/**
 * The target for a URL, or why it cannot be one: parsed, checked (scheme, credentials, IP
 * literals, local names) and given the SSRF guard's pinned `lookup`.
 */
function prepareTarget(
  raw: string,
  allowPrivate: boolean,
  resolve?: Resolve,
): Target | DeliveryError {
  const url = parseTarget(raw);
  if (!(url instanceof URL)) return url;
  try {
    // Throws for IP literals and local names, which Node connects to without any lookup.
    const { lookup } = guardedRequestOptions(url, {
      allowPrivate,
      ...(resolve === undefined ? {} : { resolve }),
    });
    return {
      protocol: url.protocol === 'https:' ? 'https:' : 'http:',
      options: { ...urlToHttpOptions(url), method: 'POST', lookup },
    };
  } catch (error) {
    return toDeliveryError(error);
  }
}

/**
 * Prepared targets by URL and SSRF mode. A dispatcher sends to the same few thousand URLs over
 * and over, and the verdict on a URL's text never changes (hostnames are checked again at every
 * connect, by the lookup). Emptied when full rather than tracked for recency: refilling is cheap.
 */
const targets = new Map<string, Target | DeliveryError>();
const MAX_CACHED_TARGETS = 10_000;

function targetFor(input: DeliverWebhookInput): Target | DeliveryError {
  // A test's stand-in resolver belongs to that call only.
  if (input.resolve !== undefined) {
    return prepareTarget(input.url, input.allowPrivate, input.resolve);
  }
  const key = `${input.allowPrivate ? 'private' : 'public'} ${input.url}`;
  let target = targets.get(key);
  if (target === undefined) {
    target = prepareTarget(input.url, input.allowPrivate);
    if (targets.size >= MAX_CACHED_TARGETS) targets.clear();
    targets.set(key, target);
  }
  return target;
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
  const target = targetFor(input);
  if (!('options' in target)) {
    return failureFromError(target, Math.round(performance.now() - started), undefined);
  }
  return exchange(target, {
    body: input.body,
    headers: input.headers,
    timeoutMs: input.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    allowPrivate: input.allowPrivate,
    now: input.now ?? Date.now,
    started,
  });
}
