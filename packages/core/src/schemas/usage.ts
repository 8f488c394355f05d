import { z } from 'zod';

/** How `GET /v1/usage` groups its rows. */
export const UsageGroupBy = z.enum(['model', 'day']);
export type UsageGroupBy = z.infer<typeof UsageGroupBy>;

/** Longest range one usage report covers, in days (both ends included). */
export const MAX_USAGE_DAYS = 366;

const described = <T extends z.ZodType>(schema: T, description: string) =>
  schema.meta({ description });

/** What a tenant used over a group (one model, one day) or the whole range. */
export const UsageFigures = z
  .object({
    requests: described(z.number().int(), 'Jobs answered, cached answers included.'),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cost_usd: described(z.number(), 'What was charged; models without a price count as 0.'),
    cache_hits: described(
      z.number().int(),
      'Jobs answered from the cache (or by an identical job’s call), at no cost.',
    ),
    cost_saved_usd: described(
      z.number(),
      'What those cached answers would have cost at their model’s price.',
    ),
  })
  .meta({ id: 'UsageFigures' });
export type UsageFigures = z.infer<typeof UsageFigures>;

const reportOf = <K extends 'model' | 'day', G extends z.ZodType>(groupBy: K, group: G) =>
  z.object({
    object: z.literal('usage'),
    from: described(z.string(), 'First day covered, `YYYY-MM-DD` (UTC).'),
    to: described(z.string(), 'Last day covered, included.'),
    group_by: z.literal(groupBy),
    data: described(
      z.array(UsageFigures.extend({ [groupBy]: group } as Record<K, G>)),
      'Groups with any usage, in order: models by name, days by date.',
    ),
    totals: UsageFigures,
  });

/** `GET /v1/usage`: the tenant's usage over `from`..`to`, per model or per day, and in total. */
export const UsageReport = z
  .discriminatedUnion('group_by', [
    reportOf('model', described(z.string(), '`provider/model`')),
    reportOf('day', described(z.string(), '`YYYY-MM-DD` (UTC)')),
  ])
  .meta({ id: 'UsageReport' });
export type UsageReport = z.infer<typeof UsageReport>;
