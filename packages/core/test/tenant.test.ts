import { TenantCreate, TenantUpdate } from '../src';

test('a new tenant gets the default limits', () => {
  expect(TenantCreate.parse({ name: ' acme ' })).toEqual({
    name: 'acme',
    limits: { rpm: 600, monthly_budget_usd: null },
  });
});

test('an update carries only what it names: no defaults slip in', () => {
  expect(TenantUpdate.parse({ limits: { rpm: 5 } })).toEqual({ limits: { rpm: 5 } });
  expect(TenantUpdate.parse({ limits: { monthly_budget_usd: 10 } })).toEqual({
    limits: { monthly_budget_usd: 10 },
  });
  expect(TenantUpdate.parse({ limits: { monthly_budget_usd: null } })).toEqual({
    limits: { monthly_budget_usd: null },
  });
  expect(TenantUpdate.safeParse({ limits: { rpm: 0 } }).success).toBe(false);
});
