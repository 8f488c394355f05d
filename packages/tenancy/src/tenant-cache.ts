import type { Tenant } from '@switchyard/core';
import type { TenantStore } from './tenant-store';

/** How long a tenant's settings are reused before they are read again. */
export const TENANT_CACHE_TTL_MS = 5_000;

/**
 * Tenant reads on hot paths (a budget check per job) without a Redis round trip each time.
 * A change of limits reaches every process within the TTL; that is the documented delay.
 */
export class TenantCache {
  private readonly entries = new Map<string, { tenant: Tenant | undefined; until: number }>();

  constructor(
    private readonly store: Pick<TenantStore, 'get'>,
    private readonly ttlMs = TENANT_CACHE_TTL_MS,
  ) {}

  async get(tenantId: string, now = Date.now()): Promise<Tenant | undefined> {
    const hit = this.entries.get(tenantId);
    if (hit && hit.until > now) return hit.tenant;
    const tenant = await this.store.get(tenantId);
    this.entries.set(tenantId, { tenant, until: now + this.ttlMs });
    return tenant;
  }
}
