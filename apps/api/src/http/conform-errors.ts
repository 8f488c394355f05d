import { type ApiErrorType, clip, ErrorBody } from '@switchyard/core';
import type { RequestHandler } from 'express';

/** The contract's error type of each status an embedded component answers with. */
const TYPE_OF_STATUS: ReadonlyMap<number, ApiErrorType> = new Map([
  [400, 'invalid_request'],
  [401, 'authentication_error'],
  [403, 'permission_denied'],
  [404, 'not_found'],
  [409, 'conflict'],
  [413, 'payload_too_large'],
  [415, 'unsupported_media_type'],
  [422, 'invalid_request'],
  [429, 'rate_limited'],
  [503, 'service_unavailable'],
]);

/**
 * For a component with error bodies of its own (Bull Board answers
 * `{"error": {"key": "ERRORS.QUEUE_NOT_FOUND"}}`): its JSON errors are rewritten into the
 * contract's shape, keeping the status, so every error a client of this API sees reads the same.
 * Its text is clipped, since it may quote the request (a thrown error's message).
 */
export const conformErrorBodies: RequestHandler = (_req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    if (res.statusCode < 400 || ErrorBody.safeParse(body).success) return json(body);
    return json({
      error: {
        type:
          TYPE_OF_STATUS.get(res.statusCode) ??
          (res.statusCode >= 500 ? 'internal_error' : 'invalid_request'),
        message: clip(messageOf(body), 200),
        request_id: res.locals.requestId,
      },
    });
  };
  next();
};

/** The words of a foreign error body: its message, else its error's key or text, else none. */
function messageOf(body: unknown): string {
  const { message, error } = (typeof body === 'object' && body !== null ? body : {}) as {
    message?: unknown;
    error?: unknown;
  };
  if (typeof message === 'string' && message) return message;
  const key = (error as { key?: unknown } | undefined)?.key;
  if (typeof key === 'string') return key;
  return typeof error === 'string' ? error : 'The request was refused.';
}
