import { Keys } from '@switchyard/redis-kit';
import { QueueEvents } from 'bullmq';
import type { Stack } from './stack';

export interface ItemEvent {
  jobId: string;
  /** Set for `failed`. */
  failedReason?: string;
}

/**
 * Resolves at the first `completed` or `failed` event of an item of one of the stack's BullMQ
 * queues (`match` picks the item by ID). It reads the queue's event stream from its start, so an
 * item that finished before the call still counts: the job store tells a client that a job ended
 * a moment before BullMQ moves its queue item out of the active set, and a test awaits the latter
 * instead of racing it.
 */
export async function queueItemEvent(
  stack: Stack,
  queue: string,
  event: 'completed' | 'failed',
  match: (itemId: string) => boolean = () => true,
): Promise<ItemEvent> {
  const { hostname, port } = new URL(stack.redis.url);
  const events = new QueueEvents(queue, {
    connection: { host: hostname, port: Number(port) },
    prefix: new Keys(stack.namespace).bullPrefix,
    lastEventId: '0-0',
  });
  try {
    return await new Promise<ItemEvent>((resolve) => {
      if (event === 'completed') {
        events.on('completed', ({ jobId }) => match(jobId) && resolve({ jobId }));
      } else {
        events.on(
          'failed',
          ({ jobId, failedReason }) => match(jobId) && resolve({ jobId, failedReason }),
        );
      }
    });
  } finally {
    await events.close();
  }
}
