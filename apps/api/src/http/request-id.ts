import { newRequestId } from '@switchyard/core';
import type { RequestHandler } from 'express';

/** Longest caller-chosen request ID we keep: room for a UUID, a trace ID or a prefixed ULID. */
export const MAX_REQUEST_ID_LENGTH = 128;

/**
 * HTTP token characters (RFC 9110 `tchar`): printable ASCII without spaces, quotes, commas or
 * separators. The ID is written into log lines, response headers and webhook headers, so a
 * caller's value is taken only when it is this plain; anything else could forge log fields,
 * split headers or bloat every line it lands in.
 */
const SANE_REQUEST_ID = new RegExp(`^[!#$%&'*+\\-.^_\`|~0-9A-Za-z]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/**
 * The request's ID: the caller's `X-Request-Id` when it is sane, so one ID follows a call across
 * the caller's systems and ours; otherwise a new `req_…`. Node joins repeated headers with ", ",
 * which is not sane, so two conflicting IDs also get a fresh one.
 */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : newRequestId();
}

/** Gives every request an ID, echoed as `X-Request-Id` and in every error body. */
export const requestId: RequestHandler = (req, res, next) => {
  res.locals.requestId = requestIdOf(req.headers['x-request-id']);
  res.setHeader('X-Request-Id', res.locals.requestId);
  next();
};
