import type { Redis } from 'ioredis';
import type { Keys } from './keys';
import { LuaScript } from './lua-script';

/** Append and keep for the job's retention, in one round trip. KEYS: log. ARGV: entry, ttl ms. */
const APPEND = new LuaScript(`
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** One delivery attempt as `GET /v1/jobs/{id}/deliveries` shows it. */
export interface DeliveryRecord {
  object: 'webhook_delivery';
  event_id: string;
  type: string;
  attempt: number;
  at: string;
  url: string;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  /** When the next attempt is due; null when this one was the last. */
  next_retry_at: string | null;
  /** `delivered`, `retrying`, `gone` (the receiver answered 410) or `exhausted`. */
  result: 'delivered' | 'retrying' | 'gone' | 'exhausted';
}

/** Every attempt of every event of a job, oldest first, kept as long as the job. */
export class DeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly retentionMs: number,
  ) {}

  async add(jobId: string, delivery: DeliveryRecord): Promise<void> {
    await APPEND.run(
      this.redis,
      [this.keys.webhookDeliveries(jobId)],
      [JSON.stringify(delivery), this.retentionMs],
    );
  }

  async list(jobId: string): Promise<DeliveryRecord[]> {
    const entries = await this.redis.lrange(this.keys.webhookDeliveries(jobId), 0, -1);
    return entries.map((entry) => JSON.parse(entry) as DeliveryRecord);
  }
}
