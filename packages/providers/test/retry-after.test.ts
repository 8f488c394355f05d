import { parseRetryAfter } from '../src';

const headers = (init: Record<string, string>) => new Headers(init);

test('retry-after-ms wins and is exact', () => {
  expect(parseRetryAfter(headers({ 'retry-after-ms': '1500.2', 'retry-after': '9' }))).toBe(1501);
});

test('retry-after in seconds, whole or fractional', () => {
  expect(parseRetryAfter(headers({ 'retry-after': '2' }))).toBe(2_000);
  expect(parseRetryAfter(headers({ 'retry-after': '0.25' }))).toBe(250);
});

test('retry-after as an HTTP date is measured from now', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 22 Nov 2026 10:00:07 GMT' }), now)).toBe(
    7_000,
  );
  expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 22 Nov 2026 09:59:00 GMT' }), now)).toBe(0);
});

test('absent or unreadable gives null', () => {
  expect(parseRetryAfter(undefined)).toBeNull();
  expect(parseRetryAfter(headers({}))).toBeNull();
  expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeNull();
});
