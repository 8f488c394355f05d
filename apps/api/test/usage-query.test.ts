import type { InvalidRequestError } from '@switchyard/core';
import { dayOfParam, usageRequest } from '../src/http/usage-query';

const now = new Date('2026-12-09T23:30:00Z');

function refusal(query: unknown): Pick<InvalidRequestError, 'message' | 'details'> {
  try {
    usageRequest(query, now);
  } catch (error) {
    const { message, details } = error as InvalidRequestError;
    return { message, details };
  }
  throw new Error('accepted');
}

test('dates are calendar days; times count on their UTC day', () => {
  expect(dayOfParam('2024-02-29')).toBe('2024-02-29');
  expect(dayOfParam('2026-02-29')).toBeUndefined();
  expect(dayOfParam('2026-13-01')).toBeUndefined();
  expect(dayOfParam('2026-12-01T23:30:00-02:00')).toBe('2026-12-02');
  expect(dayOfParam('2026-12-01T10:00Z')).toBe('2026-12-01');
  expect(dayOfParam('2026-12-01T10:00:00')).toBeUndefined(); // no offset: which day is unclear
  expect(dayOfParam('1733011200')).toBeUndefined();
  expect(dayOfParam('')).toBeUndefined();
});

test('no parameters: this month so far (UTC), per model', () => {
  const request = usageRequest({}, now);
  expect(request.groupBy).toBe('model');
  expect(request.days).toHaveLength(9);
  expect([request.days[0], request.days.at(-1)]).toEqual(['2026-12-01', '2026-12-09']);
});

test('`to` alone covers its month up to it; both ends are included', () => {
  expect(usageRequest({ to: '2026-11-03' }, now).days).toEqual([
    '2026-11-01',
    '2026-11-02',
    '2026-11-03',
  ]);
  expect(usageRequest({ from: '2026-11-30', group_by: 'day' }, now)).toEqual({
    days: ['2026-11-30', ...Array.from({ length: 9 }, (_, i) => `2026-12-0${i + 1}`)],
    groupBy: 'day',
  });
  expect(usageRequest({ from: '2024-02-28', to: '2024-03-01' }, now).days).toEqual([
    '2024-02-28',
    '2024-02-29',
    '2024-03-01',
  ]);
});

test('a range of 366 days is read; one more day is refused', () => {
  expect(usageRequest({ from: '2025-12-09', to: '2026-12-09' }, now).days).toHaveLength(366);
  expect(refusal({ from: '2025-12-08', to: '2026-12-09' })).toEqual({
    message: 'Invalid request: query.to: the range spans 367 days; at most 366.',
    details: [{ path: 'query.to', message: 'must be at most 365 days after from' }],
  });
});

test('bad parameters are 400s naming the parameter', () => {
  expect(refusal({ from: '2026-12-10', to: '2026-12-09' })).toEqual({
    message: 'Invalid request: query.from: 2026-12-10 is after to (2026-12-09).',
    details: [{ path: 'query.from', message: 'must not be after to (2026-12-09)' }],
  });
  expect(refusal({ from: 'yesterday' }).details).toEqual([
    { path: 'query.from', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 time' },
  ]);
  expect(refusal({ group_by: 'week' }).details).toEqual([
    { path: 'query.group_by', message: 'Invalid option: expected one of "model"|"day"' },
  ]);
  expect(refusal({ to: ['2026-12-01', '2026-12-02'] }).details).toEqual([
    { path: 'query.to', message: 'Invalid input: expected string, received array' },
  ]);
  expect(refusal({ since: '2026-12-01' }).details).toEqual([
    { path: 'query.since', message: 'unknown field' },
  ]);
});
