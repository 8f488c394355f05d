import type { JobQueues } from '@switchyard/queue';
import type { Queue } from 'bullmq';

/** A queue as Bull Board lists it. */
export interface BoardQueue {
  queue: Queue;
  displayName: string;
  description: string;
}

/**
 * Every BullMQ queue of the platform with the name and description the board shows, in the
 * order it lists them: the job lanes, deadlines, then webhooks (the dispatcher's queue, through
 * the API's handle on it; JobQueues closes them all).
 */
export function boardQueues(jobs: JobQueues): BoardQueue[] {
  return [
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
      queue: jobs.webhooks,
      displayName: 'Webhooks',
      description:
        'Webhook deliveries: first attempts in items of up to 25, each retry an item delayed until due. URLs are shown up to the host.',
    },
  ];
}
