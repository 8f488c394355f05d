import {
  ApiKeyCreated,
  type Scope,
  Tenant,
  TenantCreated,
  type TenantLimits,
} from '@switchyard/core';
import { z } from 'zod';
import { encodeId, type Transport } from './transport';

const TenantList = z.object({ data: z.array(Tenant) });

/** Admin token: a new tenant with its first API key (shown once) and webhook secret. */
export function createTenant(
  transport: Transport,
  name: string,
  limits?: Partial<TenantLimits>,
): Promise<TenantCreated> {
  return transport.json(TenantCreated, {
    method: 'POST',
    path: '/admin/tenants',
    body: { name, limits },
  });
}

export async function listTenants(transport: Transport): Promise<Tenant[]> {
  const list = await transport.json(TenantList, { method: 'GET', path: '/admin/tenants' });
  return list.data;
}

/** Admin token: another key for a tenant. */
export function createKey(
  transport: Transport,
  tenantId: string,
  options: { name?: string; scopes?: Scope[] } = {},
): Promise<ApiKeyCreated> {
  return transport.json(ApiKeyCreated, {
    method: 'POST',
    path: `/admin/tenants/${encodeId(tenantId)}/keys`,
    body: options,
  });
}
