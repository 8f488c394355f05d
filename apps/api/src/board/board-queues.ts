import type { JobQueues, Keys } from '@switchyard/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** A queue as Bull Board lists it. */
export interface BoardQueue {
  queue: Queue;
  displayName: string;
  description: string;
}

export interface BoardQueues {
  /** In the order the board lists them: the job lanes, deadlines, then webhooks. */
  readonly all: readonly BoardQueue[];
  close(): Promise<void>;
}

/**
 * Every BullMQ queue of the platform. The API already produces into the three job queues; the
 * `webhooks` queue belongs to the dispatcher, so the board opens its own handle on it, on the
 * API's connection and key prefix (closing the handle leaves the shared connection open).
 */
export function openBoardQueues(jobs: JobQueues, connection: Redis, keys: Keys): BoardQueues {
  const webhooks = new Queue(keys.webhookQueue, { connection, prefix: keys.bullPrefix });
  // As for the job queues: connection errors surface as failed requests, not as crashes.
  webhooks.on('error', () => undefined);
  const all: BoardQueue[] = [
    {
      queue: jobs.interactive,
      displayName: 'Interactive jobs',
      description:
        'Lane of jobs submitted with priority "interactive" (the default). Items hold job IDs; the job store holds the jobs.',
    },
    {
      queue: jobs.batch,
      displayName: 'Batch jobs',
      description:
        'Lane of jobs submitted with priority "batch". Items hold job IDs; the job store holds the jobs.',
    },
    {
      queue: jobs.deadlines,
      displayName: 'Deadlines',
      description: "Delayed items that fire at a job's cancel_after deadline.",
    },
    {
      queue: webhooks,
      displayName: 'Webhooks',
      description:
        'Webhook deliveries: first attempts in items of up to 25, each retry an item delayed until due. URLs are shown up to the host.',
    },
  ];
  return { all, close: () => webhooks.close() };
}
