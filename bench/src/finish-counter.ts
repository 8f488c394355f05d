import { isFinalStatus } from '@switchyard/core';
import { createRedis, Keys, whenReady } from '@switchyard/redis-kit';
import type { JobEvent } from '@switchyard/queue';

/**
 * Counts jobs reaching a final status from the jobs' own events (one pattern subscription),
 * and resolves when `expected` have.
 */
export async function countFinished(
  redisUrl: string,
  expected: number,
): Promise<{ done: Promise<number>; close(): void }> {
  const subscriber = createRedis(redisUrl, 'subscriber', 'bench-events');
  await whenReady(subscriber);
  const channel = new Keys().jobEvents('*');
  let finished = 0;
  let resolve!: (at: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  subscriber.on('pmessage', (_pattern: string, _channel: string, message: string) => {
    const event = JSON.parse(message) as JobEvent;
    if (isFinalStatus(event.status) && ++finished === expected) resolve(Date.now());
  });
  await subscriber.psubscribe(channel);
  return { done, close: () => subscriber.disconnect() };
}
