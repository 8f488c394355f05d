import type { Tenant } from '@switchyard/core';
import { ExpiringCache } from './expiring-cache';
import type { TenantStore } from './tenant-store';

/** How long a tenant's settings are reused before they are read again. */
export const TENANT_CACHE_TTL_MS = 5_000;

/**
 * Tenant reads on hot paths (a budget check per job) without a Redis round trip each time.
 * A change of limits reaches every process within the TTL; that is the documented delay.
 */
export class TenantCache {
  private readonly cache: ExpiringCache<Tenant | undefined>;

  constructor(store: Pick<TenantStore, 'get'>, ttlMs = TENANT_CACHE_TTL_MS) {
    this.cache = new ExpiringCache((tenantId) => store.get(tenantId), ttlMs);
  }

  get(tenantId: string, now = Date.now()): Promise<Tenant | undefined> {
    return this.cache.get(tenantId, now);
  }
}
