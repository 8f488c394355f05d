import { z } from 'zod';

/** What a key may do. A key without the scope a route needs gets 403. */
export const Scope = z.enum(['jobs:read', 'jobs:write', 'usage:read', 'webhooks:manage']);
export type Scope = z.infer<typeof Scope>;
export const ALL_SCOPES: readonly Scope[] = Scope.options;

/** Jobs a tenant may submit per minute (GCRA; bursts up to the same number). */
const Rpm = z.number().int().min(1).max(1_000_000);
/** Spend per calendar month (UTC) in US dollars; `null` means no budget. */
const MonthlyBudget = z.number().min(0).nullable();

export const TenantLimits = z
  .strictObject({ rpm: Rpm.default(600), monthly_budget_usd: MonthlyBudget.default(null) })
  .meta({ id: 'TenantLimits' });
export type TenantLimits = z.infer<typeof TenantLimits>;

export const Tenant = z
  .object({
    id: z.string(),
    object: z.literal('tenant'),
    name: z.string(),
    limits: TenantLimits,
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof Tenant>;

export const TenantCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    limits: TenantLimits.default({ rpm: 600, monthly_budget_usd: null }),
  })
  .meta({ id: 'TenantCreate' });
export type TenantCreate = z.infer<typeof TenantCreate>;

export const TenantUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    // Without defaults: a field left out of an update keeps its value (zod's .partial() would
    // fill in the creation defaults and silently reset it).
    limits: z
      .strictObject({ rpm: Rpm.optional(), monthly_budget_usd: MonthlyBudget.optional() })
      .optional(),
  })
  .meta({ id: 'TenantUpdate' });
export type TenantUpdate = z.infer<typeof TenantUpdate>;

export const ApiKeyCreate = z
  .strictObject({
    name: z.string().trim().max(200).optional(),
    scopes: z
      .array(Scope)
      .min(1)
      .default([...ALL_SCOPES]),
  })
  .meta({ id: 'ApiKeyCreate' });
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

/** A key as listed: never the secret, only its prefix. */
export const ApiKeyInfo = z
  .object({
    object: z.literal('api_key'),
    prefix: z.string(),
    tenant_id: z.string(),
    name: z.string().nullable(),
    scopes: z.array(Scope),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'ApiKeyInfo' });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

/** A newly made key: the only time `key` is ever shown. */
export const ApiKeyCreated = ApiKeyInfo.extend({ key: z.string() }).meta({ id: 'ApiKeyCreated' });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const TenantCreated = z
  .object({
    tenant: Tenant,
    api_key: ApiKeyCreated,
    webhook_secret: z.string(),
  })
  .meta({ id: 'TenantCreated' });
export type TenantCreated = z.infer<typeof TenantCreated>;

/** The tenant's signing secret, and the older ones still signing after a rotation. */
export const WebhookSecretView = z
  .object({
    object: z.literal('webhook_secret'),
    /** `whsec_…`: verify deliveries with it (Standard Webhooks). */
    secret: z.string(),
    created_at: z.string(),
    /** Secrets rotated out that still sign deliveries until `expires_at` (values not shown). */
    previous: z.array(z.object({ created_at: z.string(), expires_at: z.string() })),
  })
  .meta({ id: 'WebhookSecret' });
export type WebhookSecretView = z.infer<typeof WebhookSecretView>;
