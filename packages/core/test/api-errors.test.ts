import {
  ApiError,
  AuthenticationError,
  IdempotencyMismatchError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from '../src';

test('each error class carries its status, type and headers', () => {
  const cases: Array<[ApiError, number, string]> = [
    [new AuthenticationError(), 401, 'authentication_error'],
    [new PayloadTooLargeError(1024), 413, 'payload_too_large'],
    [new UnsupportedMediaTypeError('text/plain'), 415, 'unsupported_media_type'],
    [new IdempotencyMismatchError(), 422, 'idempotency_mismatch'],
    [new RateLimitedError('slow down', { 'Retry-After': '3' }), 429, 'rate_limited'],
    [new ServiceUnavailableError('down', 2), 503, 'service_unavailable'],
  ];
  for (const [error, status, type] of cases) {
    expect([error.status, error.type]).toEqual([status, type]);
    expect(error).toBeInstanceOf(ApiError);
  }
  expect(new AuthenticationError().headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  expect(new ServiceUnavailableError('down', 2).headers).toEqual({ 'Retry-After': '2' });
  expect(new PayloadTooLargeError(1024).message).toBe(
    'Request body is larger than the limit of 1024 bytes.',
  );
  expect(new UnsupportedMediaTypeError('text/plain').message).toBe(
    'Request body must be application/json (got text/plain).',
  );
  expect(new IdempotencyMismatchError().name).toBe('IdempotencyMismatchError');
});
