import type { Redis } from 'ioredis';

export type ChannelListener = (message: string) => void;

interface Subscription {
  listeners: Set<ChannelListener>;
  /** Resolves once Redis has confirmed the SUBSCRIBE; every listener of the channel awaits it. */
  active: Promise<void>;
}

/**
 * Pub/sub channels on one shared subscriber connection per process: a channel is subscribed once
 * while anyone listens and unsubscribed when the last listener leaves, so a thousand waiters on
 * one job cost one SUBSCRIBE, not a thousand. Use one instance per kind of channel on a
 * connection (they must not share channel names): two would unsubscribe each other's channels.
 * With a fail-fast subscriber (redis-connection.ts) listening either works or throws at once.
 */
export class ChannelListeners {
  private readonly channels = new Map<string, Subscription>();

  constructor(private readonly subscriber: Redis) {
    subscriber.on('message', (channel: string, message: string) => {
      const subscription = this.channels.get(channel);
      if (!subscription) return;
      for (const listener of subscription.listeners) listener(message);
    });
  }

  /**
   * Calls `listener` with every message on `channel` until the returned function is called.
   * Resolves once the subscription is active, so a read made after it cannot miss a message.
   */
  async listen(channel: string, listener: ChannelListener): Promise<() => void> {
    let subscription = this.channels.get(channel);
    if (!subscription) {
      const created: Subscription = {
        listeners: new Set(),
        active: this.subscriber.subscribe(channel).then(() => undefined),
      };
      created.active.catch(() => {
        if (this.channels.get(channel) === created) this.channels.delete(channel);
      });
      this.channels.set(channel, created);
      subscription = created;
    }
    const joined = subscription;
    joined.listeners.add(listener);
    try {
      await joined.active;
    } catch (error) {
      joined.listeners.delete(listener);
      throw error;
    }
    return () => this.leave(channel, joined, listener);
  }

  private leave(channel: string, subscription: Subscription, listener: ChannelListener): void {
    subscription.listeners.delete(listener);
    if (subscription.listeners.size > 0 || this.channels.get(channel) !== subscription) return;
    this.channels.delete(channel);
    // Not awaited: nothing waits on it, and with Redis away it fails at once anyway. A later
    // SUBSCRIBE to the same channel is sent after it on the same connection, so order holds.
    this.subscriber.unsubscribe(channel).catch(() => undefined);
  }
}
