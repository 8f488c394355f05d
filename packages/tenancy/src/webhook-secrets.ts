import { type Keys, LuaScript } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import { generateWebhookSecret } from '@switchyard/webhooks';

/** After a rotation the old secret keeps signing this long, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/**
 * Rotation in one step, whatever other rotations run: secrets past their end go, the current
 * one is given an end (now + overlap), the new one becomes current.
 */
const ROTATE = new LuaScript({
  keys: ['secrets'],
  args: ['now', 'overlap_ms', 'secret'],
  source: `
local now = tonumber(ARG.now)
local entries = redis.call('HGETALL', KEY.secrets)
for i = 1, #entries, 2 do
  local created, expires = string.match(entries[i + 1], '^(%d+):(%d+)$')
  expires = tonumber(expires)
  if expires == 0 then
    redis.call('HSET', KEY.secrets, entries[i], created .. ':' .. (now + tonumber(ARG.overlap_ms)))
  elseif expires <= now then
    redis.call('HDEL', KEY.secrets, entries[i])
  end
end
redis.call('HSET', KEY.secrets, ARG.secret, now .. ':0')
return 1
`,
});

export interface WebhookSecret {
  secret: string;
  created_at: string;
  /** When it stops signing; null for the current secret. */
  expires_at: string | null;
}

/**
 * A tenant's Standard Webhooks signing secrets. Normally one; for a day after a rotation two,
 * and deliveries are signed with both (space-separated signatures), so a receiver verifying with
 * either keeps working while it switches.
 */
export class WebhookSecrets {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Gives the tenant its first secret (or a new one: the same as a rotation). */
  async create(tenantId: string, now = new Date()): Promise<string> {
    return this.rotate(tenantId, now);
  }

  /** A new current secret; the old one signs too until ROTATION_OVERLAP_MS has passed. */
  async rotate(tenantId: string, now = new Date()): Promise<string> {
    const secret = generateWebhookSecret();
    await ROTATE.run(
      this.redis,
      { secrets: this.keys.webhookSecrets(tenantId) },
      { now: now.getTime(), overlap_ms: ROTATION_OVERLAP_MS, secret },
    );
    return secret;
  }

  /** The secrets that sign now, newest (current) first. */
  async active(tenantId: string, now = new Date()): Promise<WebhookSecret[]> {
    const entries = await this.redis.hgetall(this.keys.webhookSecrets(tenantId));
    return Object.entries(entries)
      .map(([secret, value]) => {
        const [created, expires] = value.split(':').map(Number) as [number, number];
        return { secret, created, expires };
      })
      .filter(({ expires }) => expires === 0 || expires > now.getTime())
      .sort((a, b) => b.created - a.created || (a.expires === 0 ? -1 : 1))
      .map(({ secret, created, expires }) => ({
        secret,
        created_at: new Date(created).toISOString(),
        expires_at: expires === 0 ? null : new Date(expires).toISOString(),
      }));
  }
}
