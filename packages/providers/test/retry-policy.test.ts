import { type CallFailure, backoffDelay, decideAfterFailure } from '../src';

const retry = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const failure = (overrides: Partial<CallFailure>): CallFailure => ({
  kind: 'retryable',
  statusCode: 500,
  message: 'boom',
  retryAfterMs: null,
  errorType: 'provider_error',
  ...overrides,
});
const half = () => 0.5;

test('full jitter: uniform under a cap that doubles per call up to the maximum', () => {
  expect([1, 2, 3, 4, 5, 6].map((calls) => backoffDelay(calls, retry, () => 0.999999))).toEqual([
    999, 1_999, 3_999, 7_999, 9_999, 9_999,
  ]);
  expect(backoffDelay(3, retry, () => 0)).toBe(0);
});

test('a retryable failure is retried with backoff while calls remain', () => {
  expect(
    decideAfterFailure({
      failure: failure({}),
      callsOnHop: 2,
      hasNextHop: false,
      retry,
      random: half,
    }),
  ).toEqual({
    action: 'retry',
    delayMs: 1_000,
  });
});

test('Retry-After is a floor, with at most 10% (≤ 1 s) added', () => {
  const limited = failure({ kind: 'rate_limited', statusCode: 429, retryAfterMs: 2_000 });
  expect(
    decideAfterFailure({ failure: limited, callsOnHop: 1, hasNextHop: false, retry, random: half }),
  ).toEqual({
    action: 'retry',
    delayMs: 2_100,
  });
  expect(
    decideAfterFailure({
      failure: limited,
      callsOnHop: 1,
      hasNextHop: false,
      retry,
      random: () => 0,
    }),
  ).toEqual({
    action: 'retry',
    delayMs: 2_000,
  });
});

test('exhausted retries fall back when there is a next model, else fail typed by the last error', () => {
  const context = { callsOnHop: 3, retry, random: half };
  expect(decideAfterFailure({ ...context, failure: failure({}), hasNextHop: true })).toEqual({
    action: 'fallback',
  });
  expect(decideAfterFailure({ ...context, failure: failure({}), hasNextHop: false })).toEqual({
    action: 'fail',
    error: { type: 'provider_error', message: 'gave up after 3 calls; last error: boom' },
  });
  expect(
    decideAfterFailure({
      ...context,
      failure: failure({ kind: 'rate_limited', retryAfterMs: 5 }),
      hasNextHop: false,
    }),
  ).toMatchObject({ action: 'fail', error: { type: 'rate_limited' } });
  expect(
    decideAfterFailure({ ...context, failure: failure({ kind: 'timeout' }), hasNextHop: false }),
  ).toMatchObject({
    action: 'fail',
    error: { type: 'timeout' },
  });
});

test('a wait longer than the longest backoff goes to the next model instead', () => {
  const long = failure({ kind: 'rate_limited', retryAfterMs: 60_000 });
  expect(decideAfterFailure({ failure: long, callsOnHop: 1, hasNextHop: true, retry })).toEqual({
    action: 'fallback',
  });
  expect(
    decideAfterFailure({ failure: long, callsOnHop: 1, hasNextHop: false, retry, random: () => 0 }),
  ).toEqual({
    action: 'retry',
    delayMs: 60_000,
  });
});

test('a request at fault fails at once, even with calls and models left', () => {
  const terminal = failure({
    kind: 'terminal',
    statusCode: 400,
    errorType: 'invalid_request',
    message: 'bad',
  });
  expect(decideAfterFailure({ failure: terminal, callsOnHop: 1, hasNextHop: true, retry })).toEqual(
    {
      action: 'fail',
      error: { type: 'invalid_request', message: 'bad' },
    },
  );
});

test('a provider refusing (key, access, model, quota) is never retried but moves to the next model', () => {
  const refused = failure({
    kind: 'terminal',
    statusCode: 401,
    errorType: 'provider_error',
    message: 'bad key',
  });
  expect(decideAfterFailure({ failure: refused, callsOnHop: 1, hasNextHop: true, retry })).toEqual({
    action: 'fallback',
  });
  expect(decideAfterFailure({ failure: refused, callsOnHop: 1, hasNextHop: false, retry })).toEqual(
    {
      action: 'fail',
      error: { type: 'provider_error', message: 'bad key' },
    },
  );
});

test('context length moves to a model with a larger window, or fails as an invalid request', () => {
  const tooLong = failure({ kind: 'context_length', statusCode: 400, message: 'too long' });
  const base = { failure: tooLong, callsOnHop: 1, hasNextHop: true, retry };
  expect(decideAfterFailure({ ...base, largerWindowHop: 2 })).toEqual({
    action: 'fallback',
    toHop: 2,
  });
  // A next model exists, but none with a larger window: calling it would fail the same way.
  expect(decideAfterFailure(base)).toEqual({
    action: 'fail',
    error: { type: 'invalid_request', message: 'too long' },
  });
});
