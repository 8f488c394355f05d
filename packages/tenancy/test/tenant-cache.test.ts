import type { Tenant } from '@switchyard/core';
import { TenantCache } from '../src';

const tenant = (name: string): Tenant => ({
  id: 'ten_a',
  object: 'tenant',
  name,
  limits: { rpm: 1, monthly_budget_usd: null },
  created_at: new Date(0).toISOString(),
});

test('reads once per TTL, then again', async () => {
  const reads: string[] = [];
  let current = tenant('first');
  const cache = new TenantCache({ get: async (id) => (reads.push(id), current) }, 1_000);
  expect((await cache.get('ten_a', 0))?.name).toBe('first');
  current = tenant('second');
  expect((await cache.get('ten_a', 999))?.name).toBe('first');
  expect((await cache.get('ten_a', 1_000))?.name).toBe('second');
  expect(reads).toEqual(['ten_a', 'ten_a']);
});
