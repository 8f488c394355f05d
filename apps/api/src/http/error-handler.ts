import {
  ApiError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  clip,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from '@switchyard/core';
import type { Logger } from '@switchyard/observability';
import { isRedisOutOfMemoryError, isRedisUnavailableError } from '@switchyard/redis-kit';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/** body-parser's errors carry a `type`; these are the client's mistakes. */
function fromBodyParser(error: unknown, limitBytes: number): ApiError | undefined {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') {
    return new InvalidRequestError(`Malformed JSON body: ${(error as Error).message}`);
  }
  if (type === 'entity.too.large') {
    // The parser says which limit it applied (POST /v1/batches has its own).
    const limit = (error as { limit?: unknown }).limit;
    return new PayloadTooLargeError(typeof limit === 'number' ? limit : limitBytes);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new UnsupportedMediaTypeError(undefined);
  }
  if (type === 'request.aborted' || type === 'request.size.invalid') {
    return new InvalidRequestError('The request body was incomplete.');
  }
  return undefined;
}

/** Unknown routes get the contract's JSON 404 too (`baseUrl`: the path it is mounted at). */
export const notFound: RequestHandler = (req) => {
  throw new NotFoundError(`No route ${req.method} ${clip(req.baseUrl + req.path)}.`);
};

/**
 * The one place errors become HTTP: ApiError subclasses keep their status, a Redis outage is a
 * 503 with Retry-After, anything else is logged and answered 500 without internals.
 */
export function errorHandler(logger: Logger, limitBytes: number): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let apiError = error instanceof ApiError ? error : fromBodyParser(error, limitBytes);
    if (!apiError && isRedisUnavailableError(error)) {
      apiError = isRedisOutOfMemoryError(error)
        ? new ServiceUnavailableError(
            'The job store is full (Redis reached its maxmemory limit); nothing was written. Retry later.',
            30,
          )
        : new ServiceUnavailableError('The job store is unreachable; retry shortly.');
    }
    if (!apiError) {
      logger.error(
        { err: error, requestId: res.locals.requestId, method: req.method, path: req.path },
        'unhandled error',
      );
      apiError = new ApiError(500, 'internal_error', 'Internal error.');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .status(apiError.status)
      .set(apiError.headers)
      .json({
        error: {
          type: apiError.type,
          message: apiError.message,
          request_id: res.locals.requestId,
          ...(apiError.details && { details: apiError.details }),
        },
      });
  };
}
