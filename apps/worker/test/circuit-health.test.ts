import type { CallFailure } from '@switchyard/providers';
import { circuitHealth } from '../src/call-step';

const failure = (overrides: Partial<CallFailure>): { failure: CallFailure } => ({
  failure: {
    kind: 'retryable',
    statusCode: null,
    message: 'Connection error.',
    retryAfterMs: null,
    errorType: 'provider_error',
    ...overrides,
  },
});

test('an answer, a 4xx and a rate limit say the provider is up', () => {
  expect(circuitHealth({ response: {} })).toBe('success');
  expect(circuitHealth(failure({ kind: 'terminal', statusCode: 400 }))).toBe('success');
  expect(circuitHealth(failure({ kind: 'rate_limited', statusCode: 429 }))).toBe('success');
  expect(circuitHealth(failure({ kind: 'context_length', statusCode: 400 }))).toBe('success');
});

test('a 5xx, a reset on a fresh connection and a timeout count against it', () => {
  expect(circuitHealth(failure({ statusCode: 503 }))).toBe('failure');
  expect(circuitHealth(failure({}))).toBe('failure');
  expect(circuitHealth(failure({ kind: 'timeout', errorType: 'timeout' }))).toBe('failure');
});

test('a canceled call and a failure on a reused connection tell the circuit nothing', () => {
  expect(circuitHealth(failure({ kind: 'canceled', errorType: 'canceled' }))).toBeUndefined();
  expect(circuitHealth(failure({ unattributed: true }))).toBeUndefined();
});
