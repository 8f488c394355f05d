import type { Priority } from '@switchyard/core';
import { z } from 'zod';

/** BullMQ queue of each lane; interactive and batch work scale and drain separately. */
export const LANE_QUEUES: Record<Priority, string> = {
  interactive: 'jobs-interactive',
  batch: 'jobs-batch',
};

/** Delayed jobs that fire at a job's `cancel_after` deadline. */
export const DEADLINE_QUEUE = 'job-deadlines';

/**
 * The webhook dispatcher's queue of deliveries. Like every queue name here it is not a key:
 * BullMQ puts a queue's keys under `Keys.bullPrefix`, which carries the namespace.
 */
export const WEBHOOK_QUEUE = 'webhooks';

/** Payload of a lane job: just a pointer; the record in the job store is the truth. */
export const RunJobData = z.object({ jobId: z.string(), tenantId: z.string() });
export type RunJobData = z.infer<typeof RunJobData>;

export const DeadlineJobData = z.object({ jobId: z.string() });
export type DeadlineJobData = z.infer<typeof DeadlineJobData>;
