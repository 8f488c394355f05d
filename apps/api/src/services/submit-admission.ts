import {
  BudgetExceededError,
  ConflictError,
  IdempotencyMismatchError,
  RateLimitedError,
  type Tenant,
} from '@switchyard/core';
import type { IdempotencyClaim } from '@switchyard/queue';
import { type RateLimitDecision, rateLimitHeaders } from '@switchyard/tenancy';
import type { ApiDeps } from '../api-deps';

/**
 * The tenant's gate for a submit (a job or a batch, one request either way): a unit of its
 * submit rate limit, then its monthly budget. Throws the contract's 429 or 402.
 */
export async function admitSubmit(deps: ApiDeps, tenant: Tenant): Promise<RateLimitDecision> {
  const rateLimit = await deps.limiter.take(tenant.id, tenant.limits.rpm);
  if (!rateLimit.allowed) {
    throw new RateLimitedError(
      `Rate limit of ${tenant.limits.rpm} submits per minute reached; retry after the Retry-After delay.`,
      rateLimitHeaders(rateLimit),
    );
  }
  const over = await deps.spend.overBudget(tenant, new Date());
  if (over) {
    throw new BudgetExceededError(
      `The monthly budget of $${over.budgetUsd} is spent ($${over.spentUsd.toFixed(4)} so far this month).`,
    );
  }
  return rateLimit;
}

/**
 * Claims an Idempotency-Key for a new resource `id` (a job's or a batch's): undefined without a
 * key; the claim (to commit once the resource is written, or release) when it is this
 * request's; the earlier resource on a replay. A key reused with another body is the contract's
 * 422, one still in flight its 409. `exists` tells a claim whose resource was never written (a
 * crashed request) from one that was.
 */
export async function claimIdempotencyKey(
  deps: ApiDeps,
  tenantId: string,
  key: string | undefined,
  bodyHash: string,
  id: string,
  exists: (earlierId: string) => Promise<boolean>,
): Promise<Extract<IdempotencyClaim, { kind: 'claimed' | 'replay' }> | undefined> {
  if (key === undefined) return undefined;
  const claim = await deps.idempotency.claim(tenantId, key, bodyHash, id, exists);
  if (claim.kind === 'mismatch') throw new IdempotencyMismatchError();
  if (claim.kind === 'in_flight') {
    throw new ConflictError(
      'A request with this Idempotency-Key is still in flight; retry shortly.',
    );
  }
  return claim;
}
