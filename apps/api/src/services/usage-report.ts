import type { UsageFigures, UsageReport } from '@switchyard/core';
import { type DayUsage, nanosToUsd, noUsage, type UsageCounters } from '@switchyard/tenancy';
import type { ApiDeps } from '../api-deps';
import type { UsageRequest } from '../http/usage-query';

/** The tenant's usage over the requested days: one read per day, all sent at once. */
export async function usageReport(
  deps: Pick<ApiDeps, 'spend'>,
  tenantId: string,
  request: UsageRequest,
): Promise<UsageReport> {
  const byDay = await deps.spend.usageOfDays(tenantId, request.days);
  return summariseUsage(byDay, request);
}

/**
 * Sums the stored counters per group and in total, in integers (money in nano-dollars), and
 * turns them into the report's figures once at the end. Groups without any usage are left out.
 */
export function summariseUsage(byDay: Map<string, DayUsage>, request: UsageRequest): UsageReport {
  const groups = new Map<string, UsageCounters>();
  const totals = noUsage();
  for (const [day, byModel] of byDay) {
    for (const [model, counters] of byModel) {
      const key = request.groupBy === 'model' ? model : day;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = noUsage()));
      addTo(group, counters);
      addTo(totals, counters);
    }
  }
  const keys = [...groups.keys()].sort();
  const range = {
    object: 'usage' as const,
    from: request.days[0]!,
    to: request.days.at(-1)!,
    totals: figuresOf(totals),
  };
  return request.groupBy === 'model'
    ? {
        ...range,
        group_by: 'model',
        data: keys.map((model) => ({ model, ...figuresOf(groups.get(model)!) })),
      }
    : {
        ...range,
        group_by: 'day',
        data: keys.map((day) => ({ day, ...figuresOf(groups.get(day)!) })),
      };
}

function addTo(sum: UsageCounters, counters: UsageCounters): void {
  for (const name of Object.keys(sum) as (keyof UsageCounters)[]) sum[name] += counters[name];
}

function figuresOf(counters: UsageCounters): UsageFigures {
  return {
    requests: counters.jobs,
    input_tokens: counters.input_tokens,
    output_tokens: counters.output_tokens,
    cost_usd: nanosToUsd(counters.cost_nanos),
    cache_hits: counters.cached,
    cost_saved_usd: nanosToUsd(counters.cost_saved_nanos),
  };
}
