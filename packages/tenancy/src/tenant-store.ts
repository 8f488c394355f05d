import {
  ALL_SCOPES,
  type ApiKeyCreate,
  type ApiKeyCreated,
  type ApiKeyInfo,
  type Scope,
  type Tenant,
  type TenantCreate,
  type TenantCreated,
  type TenantUpdate,
  newTenantId,
} from '@switchyard/core';
import type { Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './secrets';
import { WebhookSecrets } from './webhook-secrets';

interface StoredKey {
  tenant_id: string;
  prefix: string;
  name: string | null;
  scopes: Scope[];
  created_at: string;
}

/** Who is calling, once a key checks out. */
export interface Principal {
  tenantId: string;
  keyPrefix: string;
  scopes: Scope[];
}

const keyInfo = (key: StoredKey): ApiKeyInfo => ({ object: 'api_key', ...key });

/** Tenants and their API keys in Redis. Keys are stored only as SHA-256 hashes. */
export class TenantStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async create(input: TenantCreate, now = new Date()): Promise<TenantCreated> {
    const tenant: Tenant = {
      id: newTenantId(),
      object: 'tenant',
      name: input.name,
      limits: input.limits,
      created_at: now.toISOString(),
    };
    await this.redis
      .multi()
      .set(this.keys.tenant(tenant.id), JSON.stringify(tenant))
      .zadd(this.keys.tenants, now.getTime(), tenant.id)
      .exec();
    const apiKey = await this.createKey(tenant.id, {}, now);
    const webhookSecret = await new WebhookSecrets(this.redis, this.keys).create(tenant.id, now);
    return { tenant: tenant, api_key: apiKey!, webhook_secret: webhookSecret };
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const stored = await this.getStored(tenantId);
    return stored && stored;
  }

  async list(): Promise<Tenant[]> {
    const ids = await this.redis.zrange(this.keys.tenants, 0, -1);
    if (ids.length === 0) return [];
    const docs = await this.redis.mget(ids.map((id) => this.keys.tenant(id)));
    return docs.flatMap((doc) => (doc ? [JSON.parse(doc) as Tenant] : []));
  }

  async update(tenantId: string, change: TenantUpdate): Promise<Tenant | undefined> {
    const stored = await this.getStored(tenantId);
    if (!stored) return undefined;
    const next: Tenant = {
      ...stored,
      name: change.name ?? stored.name,
      limits: { ...stored.limits, ...change.limits },
    };
    await this.redis.set(this.keys.tenant(tenantId), JSON.stringify(next));
    return next;
  }

  /** A new key for the tenant, or undefined if there is no such tenant. */
  async createKey(
    tenantId: string,
    input: Partial<ApiKeyCreate>,
    now = new Date(),
  ): Promise<ApiKeyCreated | undefined> {
    if (!(await this.redis.exists(this.keys.tenant(tenantId)))) return undefined;
    for (;;) {
      const { key, prefix, hash } = generateApiKey();
      const stored: StoredKey = {
        tenant_id: tenantId,
        prefix,
        name: input.name ?? null,
        scopes: input.scopes ?? [...ALL_SCOPES],
        created_at: now.toISOString(),
      };
      // The prefix is the key's public handle (for revocation), so it must be unique too.
      const claimed = await this.redis.set(this.keys.apiKeyPrefix(prefix), hash, 'NX');
      if (claimed !== 'OK') continue;
      await this.redis
        .multi()
        .set(this.keys.apiKey(hash), JSON.stringify(stored))
        .sadd(this.keys.tenantApiKeys(tenantId), prefix)
        .exec();
      return { ...keyInfo(stored), key };
    }
  }

  async listKeys(tenantId: string): Promise<ApiKeyInfo[]> {
    const prefixes = await this.redis.smembers(this.keys.tenantApiKeys(tenantId));
    const infos = await Promise.all(prefixes.map((prefix) => this.keyByPrefix(prefix)));
    return infos.flatMap((info) => (info ? [keyInfo(info)] : []));
  }

  /** Revokes a key by its prefix; false if there is no such key. */
  async revokeKey(prefix: string): Promise<boolean> {
    const hash = await this.redis.get(this.keys.apiKeyPrefix(prefix));
    if (!hash) return false;
    const stored = await this.keyByPrefix(prefix);
    await this.redis
      .multi()
      .del(this.keys.apiKey(hash), this.keys.apiKeyPrefix(prefix))
      .srem(this.keys.tenantApiKeys(stored?.tenant_id ?? ''), prefix)
      .exec();
    return true;
  }

  /** The principal behind a presented key, or undefined for an unknown or revoked key. */
  async authenticate(presented: string): Promise<Principal | undefined> {
    if (!looksLikeApiKey(presented)) return undefined;
    const doc = await this.redis.get(this.keys.apiKey(hashApiKey(presented)));
    if (!doc) return undefined;
    const key = JSON.parse(doc) as StoredKey;
    return { tenantId: key.tenant_id, keyPrefix: key.prefix, scopes: key.scopes };
  }

  private async getStored(tenantId: string): Promise<Tenant | undefined> {
    const doc = await this.redis.get(this.keys.tenant(tenantId));
    return doc ? (JSON.parse(doc) as Tenant) : undefined;
  }

  private async keyByPrefix(prefix: string): Promise<StoredKey | undefined> {
    const hash = await this.redis.get(this.keys.apiKeyPrefix(prefix));
    if (!hash) return undefined;
    const doc = await this.redis.get(this.keys.apiKey(hash));
    return doc ? (JSON.parse(doc) as StoredKey) : undefined;
  }
}
