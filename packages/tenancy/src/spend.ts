import type { Tenant } from '@switchyard/core';
import { type Keys, LuaScript } from '@switchyard/queue';
import type { Redis } from 'ioredis';

/** Spend is counted in integer nano-dollars: float sums would drift over millions of jobs. */
const NANOS_PER_USD = 1e9;
/** Counters outlive their month long enough for a usage report of the previous one. */
const SPEND_TTL_SECONDS = 100 * 86_400;

/**
 * INCRBY and EXPIRE as one atomic step. A script rather than MULTI: on a connection BullMQ has
 * defined its commands on, every MULTI copies all of them (ioredis's Pipeline constructor),
 * which showed up at a thousand jobs a second. KEYS: counter. ARGV: nanos, ttl seconds.
 */
const addSpendScript = new LuaScript(`
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** `YYYY-MM` in UTC: budgets are per calendar month. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** Per-tenant monthly spend, the basis of budgets. */
export class SpendLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async add(tenantId: string, costUsd: number, at: Date): Promise<void> {
    const nanos = Math.round(costUsd * NANOS_PER_USD);
    if (nanos <= 0) return;
    await addSpendScript.run(
      this.redis,
      [this.keys.monthlySpend(tenantId, monthOf(at))],
      [nanos, SPEND_TTL_SECONDS],
    );
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
    return nanos === null ? 0 : Number(nanos) / NANOS_PER_USD;
  }
}
