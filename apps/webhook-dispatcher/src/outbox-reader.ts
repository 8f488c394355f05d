import type { Keys } from '@switchyard/redis-kit';
import { parseOutboxEntry, type WebhookMessage } from '@switchyard/outbox';
import type { Redis } from 'ioredis';

const GROUP = 'dispatchers';
/** Entries a crashed dispatcher read but never handed on are taken over after this long. */
const CLAIM_IDLE_MS = 30_000;

type StreamEntries = Array<[id: string, fields: string[]]>;

/**
 * Moves webhook events from the job store's outbox (a Redis stream) to the delivery queue.
 * Every dispatcher reads through one consumer group, so each event is handed on once; an event
 * is acknowledged only after `handOn` succeeded, and one a crashed dispatcher held is claimed
 * again after CLAIM_IDLE_MS. `handOn` must be idempotent (the queue dedups on the event ID).
 */
export class OutboxReader {
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    /** A connection of its own: XREADGROUP BLOCK holds it while it waits. */
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly consumer: string,
    private readonly handOn: (messages: WebhookMessage[]) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    /** An entry that is not a message (it is acknowledged and dropped: it would never become one). */
    private readonly onUnreadable: (entryId: string, error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    try {
      // From the start of the stream: events written while no dispatcher ran are sent too.
      await this.redis.xgroup('CREATE', this.keys.webhookOutbox, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (!this.stopped) {
      try {
        if (Date.now() - lastClaim > CLAIM_IDLE_MS) {
          lastClaim = Date.now();
          await this.take(await this.claimStale());
        }
        const reply = (await this.redis.xreadgroup(
          'GROUP',
          GROUP,
          this.consumer,
          'COUNT',
          200,
          'BLOCK',
          500,
          'STREAMS',
          this.keys.webhookOutbox,
          '>',
        )) as Array<[string, StreamEntries]> | null;
        if (reply) await this.take(reply[0]![1]);
      } catch (error) {
        if (this.stopped) return;
        this.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private async claimStale(): Promise<StreamEntries> {
    const reply = (await this.redis.xautoclaim(
      this.keys.webhookOutbox,
      GROUP,
      this.consumer,
      CLAIM_IDLE_MS,
      '0',
      'COUNT',
      200,
    )) as [string, StreamEntries];
    return reply[1];
  }

  private async take(entries: StreamEntries): Promise<void> {
    if (!entries.length) return;
    const messages: WebhookMessage[] = [];
    for (const [id, fields] of entries) {
      try {
        messages.push(parseOutboxEntry(fields));
      } catch (error) {
        this.onUnreadable(id, error);
      }
    }
    if (messages.length) await this.handOn(messages);
    const ids = entries.map(([id]) => id);
    await Promise.all([
      this.redis.xack(this.keys.webhookOutbox, GROUP, ...ids),
      this.redis.xdel(this.keys.webhookOutbox, ...ids),
    ]);
  }
}
