import type { CallFailure } from '@switchyard/providers';
import { providerPauseMs } from '../src/call-step';

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
  expect(providerPauseMs(failure({}))).toBe(3_000);
  expect(providerPauseMs(failure({ retryAfterMs: null }))).toBe(0);
});

test('a Retry-After on any other failure is the job’s wait, not the key’s', () => {
  expect(providerPauseMs(failure({ kind: 'retryable', statusCode: 503 }))).toBe(0);
  expect(
    providerPauseMs(failure({ kind: 'terminal', statusCode: 429, errorType: 'provider_error' })),
  ).toBe(0);
});

test('an answer whose headers say the budget is spent holds until its reset', () => {
  expect(providerPauseMs({ response: { exhaustedForMs: 1_500 } })).toBe(1_500);
  expect(providerPauseMs({ response: { exhaustedForMs: 0 } })).toBe(0);
});
