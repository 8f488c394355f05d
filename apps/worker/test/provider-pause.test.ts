import type { CallFailure } from '@switchyard/providers';
import { providerPause } from '../src/call-step';

const failure = (overrides: Partial<CallFailure>): { failure: CallFailure } => ({
  failure: {
    kind: 'rate_limited',
    statusCode: 429,
    message: 'slow down',
    retryAfterMs: 3_000,
    errorType: 'rate_limited',
    ...overrides,
  },
});

test("a 429's Retry-After holds the key and model for every process", () => {
  expect(providerPause(failure({}))).toEqual({ ms: 3_000, reason: 'refused' });
  expect(providerPause(failure({ retryAfterMs: null }))).toBeUndefined();
});

test('a Retry-After on any other failure is the job’s wait, not the key’s', () => {
  expect(providerPause(failure({ kind: 'retryable', statusCode: 503 }))).toBeUndefined();
  expect(
    providerPause(failure({ kind: 'terminal', statusCode: 429, errorType: 'provider_error' })),
  ).toBeUndefined();
});

test('an answer whose headers say the budget is spent holds until its reset', () => {
  expect(providerPause({ response: { exhaustedForMs: 1_500 } })).toEqual({
    ms: 1_500,
    reason: 'spent',
  });
  expect(providerPause({ response: { exhaustedForMs: 0 } })).toBeUndefined();
});
