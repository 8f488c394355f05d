import { z } from 'zod';

/** How `GET /v1/usage` groups its rows. */
export const UsageGroupBy = z.enum(['model', 'day']);
export type UsageGroupBy = z.infer<typeof UsageGroupBy>;

/** Longest range one usage report covers, in days (both ends included). */
export const MAX_USAGE_DAYS = 366;

/** What a tenant used over a group (one model, one day) or the whole range. */
export const UsageFigures = z
  .object({
    /** Jobs answered, cached answers included. */
    requests: z.number().int(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    /** What was charged; models without a price count as 0. */
    cost_usd: z.number(),
    /** Jobs answered from the cache (or by an identical job's call), at no cost. */
    cache_hits: z.number().int(),
    /** What those cached answers would have cost at their model's price. */
    cost_saved_usd: z.number(),
  })
  .meta({ id: 'UsageFigures' });
export type UsageFigures = z.infer<typeof UsageFigures>;

const reportOf = <K extends 'model' | 'day', G extends z.ZodType>(groupBy: K, group: G) =>
  z.object({
    object: z.literal('usage'),
    /** First day covered, `YYYY-MM-DD` (UTC). */
    from: z.string(),
    /** Last day covered, included. */
    to: z.string(),
    group_by: z.literal(groupBy),
    /** Groups with any usage, in order (models by name, days by date). */
    data: z.array(UsageFigures.extend({ [groupBy]: group } as Record<K, G>)),
    totals: UsageFigures,
  });

/** `GET /v1/usage`: the tenant's usage over `from`..`to`, per model or per day, and in total. */
export const UsageReport = z
  .discriminatedUnion('group_by', [
    reportOf('model', z.string().meta({ description: '`provider/model`' })),
    reportOf('day', z.string().meta({ description: '`YYYY-MM-DD` (UTC)' })),
  ])
  .meta({ id: 'UsageReport' });
export type UsageReport = z.infer<typeof UsageReport>;
