import { classifyFailure } from '../src';

const http = (status: number, extra: Record<string, unknown> = {}) =>
  classifyFailure({ transport: 'http', status, message: `HTTP ${status}`, ...extra });

test.each([408, 409, 500, 502, 503, 504, 529])('%i is retryable', (status) => {
  expect(http(status)).toMatchObject({
    kind: 'retryable',
    statusCode: status,
    errorType: 'provider_error',
  });
});

test.each([
  [400, 'invalid_request'],
  [413, 'invalid_request'],
  [422, 'invalid_request'],
  [401, 'provider_error'],
  [403, 'provider_error'],
  [404, 'provider_error'],
])('%i is terminal (%s)', (status, errorType) => {
  expect(http(status)).toMatchObject({ kind: 'terminal', statusCode: status, errorType });
});

test('a rate-limit 429 waits for Retry-After; a quota 429 is terminal', () => {
  expect(http(429, { headers: new Headers({ 'retry-after': '3' }) })).toMatchObject({
    kind: 'rate_limited',
    retryAfterMs: 3_000,
    errorType: 'rate_limited',
  });
  expect(http(429, { hint: 'quota' })).toMatchObject({
    kind: 'terminal',
    errorType: 'provider_error',
  });
});

test('context-length errors are their own kind', () => {
  expect(http(400, { hint: 'context_length' })).toMatchObject({
    kind: 'context_length',
    errorType: 'invalid_request',
  });
});

test('transport failures', () => {
  expect(classifyFailure({ transport: 'timeout', message: 't' })).toMatchObject({
    kind: 'timeout',
    statusCode: null,
  });
  expect(classifyFailure({ transport: 'connection', message: 'reset' })).toMatchObject({
    kind: 'retryable',
    statusCode: null,
  });
  expect(classifyFailure({ transport: 'malformed', message: 'json' })).toMatchObject({
    kind: 'retryable',
  });
  expect(classifyFailure({ transport: 'aborted', message: 'a' })).toMatchObject({
    kind: 'canceled',
    errorType: 'canceled',
  });
});
