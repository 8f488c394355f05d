import { InvalidRequestError, MAX_USAGE_DAYS, UsageGroupBy } from '@switchyard/core';
import { dayOf } from '@switchyard/tenancy';
import { z } from 'zod';
import { parseOrThrow } from './validate';

const MS_PER_DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** `2026-12-01` (a real calendar date) or an ISO 8601 time with its offset: its UTC day. */
export function dayOfParam(text: string): string | undefined {
  if (DATE.test(text)) {
    const at = new Date(`${text}T00:00:00Z`);
    // 2026-02-30 parses as 2 March: only a date that reads back the same is one.
    return !Number.isNaN(at.getTime()) && dayOf(at) === text ? text : undefined;
  }
  if (!TIME.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : dayOf(at);
}

const Day = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    const day = dayOfParam(text);
    if (day === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 time' });
      return z.NEVER;
    }
    return day;
  });

const UsageQuery = z.strictObject({
  from: Day.optional(),
  to: Day.optional(),
  group_by: UsageGroupBy.default('model'),
});

/** A validated `GET /v1/usage` query: the UTC days it covers, in order, and the grouping. */
export interface UsageRequest {
  days: string[];
  groupBy: UsageGroupBy;
}

/**
 * `?from=&to=&group_by=`. Both ends are included; `to` defaults to today (UTC) and `from` to the
 * first day of `to`'s month, so no parameters means this month so far. A reversed range or one
 * over {@link MAX_USAGE_DAYS} days is a 400: each day is one read.
 */
export function usageRequest(query: unknown, now: Date): UsageRequest {
  const parsed = parseOrThrow(UsageQuery, query, 'query');
  const to = parsed.to ?? dayOf(now);
  const from = parsed.from ?? `${to.slice(0, 7)}-01`;
  const span = (Date.parse(to) - Date.parse(from)) / MS_PER_DAY + 1;
  if (span < 1) {
    throw new InvalidRequestError(`Invalid request: query.from: ${from} is after to (${to}).`, [
      { path: 'query.from', message: `must not be after to (${to})` },
    ]);
  }
  if (span > MAX_USAGE_DAYS) {
    throw new InvalidRequestError(
      `Invalid request: query.to: the range spans ${span} days; at most ${MAX_USAGE_DAYS}.`,
      [{ path: 'query.to', message: `must be at most ${MAX_USAGE_DAYS - 1} days after from` }],
    );
  }
  const start = Date.parse(from);
  const days = Array.from({ length: span }, (_, i) => dayOf(new Date(start + i * MS_PER_DAY)));
  return { days, groupBy: parsed.group_by };
}
