import type { Tenant } from '@switchyard/core';
import { type Keys, LuaScript } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import { type DayUsage, nanosToUsd, parseDayUsage, toNanos } from './usage-counters';

/** Counters outlive their month long enough for a usage report of the previous one. */
const SPEND_TTL_SECONDS = 100 * 86_400;

/**
 * One job's usage in one round trip: the month's spend (budgets) and the day's counters per model
 * (usage reports). A script rather than MULTI: on a connection BullMQ has defined its commands
 * on, every MULTI copies all of them (ioredis's Pipeline constructor), which showed up at a
 * thousand jobs a second. `cached` is 0 or 1; `jobs` is 1, or 0 for a call that is not a job's
 * answer (a lost call's estimate); `saved_nanos` is what a cached answer would have cost.
 */
const recordUsageScript = new LuaScript({
  keys: ['monthly_spend', 'daily_usage'],
  args: [
    'nanos',
    'ttl_seconds',
    'model',
    'input_tokens',
    'output_tokens',
    'cached',
    'jobs',
    'saved_nanos',
  ],
  source: `
local nanos = tonumber(ARG.nanos)
if nanos > 0 then
  redis.call('INCRBY', KEY.monthly_spend, nanos)
  redis.call('EXPIRE', KEY.monthly_spend, ARG.ttl_seconds)
end
local model = ARG.model
redis.call('HINCRBY', KEY.daily_usage, model .. '|jobs', ARG.jobs)
redis.call('HINCRBY', KEY.daily_usage, model .. '|input_tokens', ARG.input_tokens)
redis.call('HINCRBY', KEY.daily_usage, model .. '|output_tokens', ARG.output_tokens)
redis.call('HINCRBY', KEY.daily_usage, model .. '|cost_nanos', nanos)
redis.call('HINCRBY', KEY.daily_usage, model .. '|cached', ARG.cached)
local saved = tonumber(ARG.saved_nanos)
if saved > 0 then
  redis.call('HINCRBY', KEY.daily_usage, model .. '|cost_saved_nanos', saved)
end
redis.call('EXPIRE', KEY.daily_usage, ARG.ttl_seconds)
return 1
`,
});

/** What one succeeded job used, as counted for its tenant. */
export interface JobUsage {
  /** `provider/model` that served it. */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** 0 for cached answers; null (unknown price) counts as 0. */
  costUsd: number | null;
  cached: boolean;
  /**
   * For a cached answer: what its call would have cost at the model's price (null or absent
   * when unknown, counted as 0). @defaultValue 0
   */
  costSavedUsd?: number | null;
  /**
   * False for a call charged on its own, not as a job's answer (a lost call, charged its
   * estimated cost): it adds to the spend and cost but not to the jobs counted. @defaultValue true
   */
  countsAsJob?: boolean;
}

/** One model's totals on one day. */
export interface UsageTotals {
  jobs: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cached: number;
}

/** `YYYY-MM` in UTC: budgets are per calendar month. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** `YYYY-MM-DD` in UTC: usage is counted per day. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Per-tenant monthly spend (the basis of budgets) and daily usage per model (usage reports). */
export class SpendLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Counts a succeeded job: this month's spend and this day's usage of its model. */
  async record(tenantId: string, usage: JobUsage, at: Date): Promise<void> {
    const nanos = toNanos(usage.costUsd);
    await recordUsageScript.run(
      this.redis,
      {
        monthly_spend: this.keys.monthlySpend(tenantId, monthOf(at)),
        daily_usage: this.keys.dailyUsage(tenantId, dayOf(at)),
      },
      {
        nanos,
        ttl_seconds: SPEND_TTL_SECONDS,
        model: usage.model,
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        cached: usage.cached ? 1 : 0,
        jobs: usage.countsAsJob === false ? 0 : 1,
        saved_nanos: toNanos(usage.costSavedUsd),
      },
    );
  }

  /**
   * A tenant's usage on each of `days` (`YYYY-MM-DD`, UTC), per `provider/model`: one HGETALL
   * per day, all sent at once (one round trip). The caller bounds the number of days.
   */
  async usageOfDays(tenantId: string, days: readonly string[]): Promise<Map<string, DayUsage>> {
    const hashes = await Promise.all(
      days.map((day) => this.redis.hgetall(this.keys.dailyUsage(tenantId, day))),
    );
    return new Map(days.map((day, i) => [day, parseDayUsage(hashes[i]!)]));
  }

  /** A tenant's usage on one UTC day, per `provider/model`, money in dollars. */
  async dailyUsage(tenantId: string, day: string): Promise<Record<string, UsageTotals>> {
    const byModel = (await this.usageOfDays(tenantId, [day])).get(day)!;
    const totals: Record<string, UsageTotals> = Object.create(null) as Record<string, UsageTotals>;
    for (const [model, counters] of byModel) {
      totals[model] = {
        jobs: counters.jobs,
        input_tokens: counters.input_tokens,
        output_tokens: counters.output_tokens,
        cost_usd: nanosToUsd(counters.cost_nanos),
        cached: counters.cached,
      };
    }
    return totals;
  }

  /**
   * The tenant's budget and this month's spend if the budget is spent, else undefined (also
   * for a tenant without a budget, which costs no read).
   */
  async overBudget(
    tenant: Pick<Tenant, 'id' | 'limits'>,
    at: Date,
  ): Promise<{ budgetUsd: number; spentUsd: number } | undefined> {
    const budgetUsd = tenant.limits.monthly_budget_usd;
    if (budgetUsd === null) return undefined;
    const spentUsd = await this.spentUsd(tenant.id, at);
    return spentUsd >= budgetUsd ? { budgetUsd, spentUsd } : undefined;
  }

  async spentUsd(tenantId: string, at: Date): Promise<number> {
    const nanos = await this.redis.get(this.keys.monthlySpend(tenantId, monthOf(at)));
    return nanos === null ? 0 : nanosToUsd(Number(nanos));
  }
}
