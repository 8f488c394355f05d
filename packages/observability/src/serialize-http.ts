import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Longest URL or header value written to a line. Clients choose these; a 16 KiB user-agent
 * copied into every line of a request would cost more than it tells.
 */
export const MAX_LOGGED_VALUE_LENGTH = 256;

/**
 * The request headers a line keeps, and only these: an allow list, so `authorization`, cookies,
 * `x-api-key` and whatever a proxy or client adds tomorrow stay out by default. `x-request-id` is
 * left out too: the ID in effect is the line's `requestId`, and a refused one is arbitrary bytes.
 */
const LOGGED_HEADERS: readonly string[] = [
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  'prefer',
];

/**
 * Idempotency keys are the client's own strings and often hold its data (an order number, an
 * e-mail address): the line keeps a digest, enough to see two requests share a key and to check
 * a key a customer reports, without the key itself.
 */
const HASHED_HEADERS: readonly string[] = ['idempotency-key'];

/** What the serializers read of a request: node's IncomingMessage, or express's Request. */
export interface LoggableRequest {
  method?: string;
  url?: string;
  /** Express keeps the URL as received here while routers rewrite `url`. */
  originalUrl?: string;
  /** Express's client address, proxies allowed by `trust proxy` taken into account. */
  ip?: string;
  headers: IncomingHttpHeaders;
  socket?: { remoteAddress?: string };
}

const clip = (value: string): string =>
  value.length > MAX_LOGGED_VALUE_LENGTH ? `${value.slice(0, MAX_LOGGED_VALUE_LENGTH)}…` : value;

/** `sha256:` and the first 16 hex digits of the value's SHA-256. */
export const digestForLog = (value: string): string =>
  `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;

/** The allowed headers of a request, clipped, with idempotency keys as digests. */
export function loggableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = clip(value);
  }
  for (const name of HASHED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = digestForLog(value);
  }
  return kept;
}

const isLoggableRequest = (value: unknown): value is LoggableRequest =>
  typeof value === 'object' && value !== null && 'headers' in value;

/**
 * `req` in a line: method, URL, client address and the allowed headers. Never the body: it holds
 * prompts, and a tenant's API key in the answer to `POST /admin/tenants`.
 */
export function serializeRequest(req: unknown): unknown {
  if (!isLoggableRequest(req)) return req;
  return {
    method: req.method,
    url: clip(req.originalUrl ?? req.url ?? ''),
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    headers: loggableHeaders(req.headers),
  };
}

/** `res` in a line: the status only. Bodies and headers of answers are never logged. */
export function serializeResponse(res: unknown): unknown {
  if (typeof res !== 'object' || res === null || !('statusCode' in res)) return res;
  return { statusCode: res.statusCode };
}
