import type { Queue } from 'bullmq';

/** The states of a BullMQ queue that hold items, as `getJobCounts` names them. */
export const QUEUE_STATES = [
  'waiting',
  'prioritized',
  'delayed',
  'waiting-children',
  'active',
  'completed',
  'failed',
] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueDepth {
  queue: string;
  counts: Record<QueueState, number>;
  /** Delayed items whose time has come (a retry due now, a deadline reached). */
  dueDelayed: number;
  paused: boolean;
  /** What a worker could start right now: see {@link backlogOf}. */
  backlog: number;
}

/**
 * The work a queue's consumers could start now: waiting + prioritized (BullMQ keeps prioritized
 * items in a sorted set, not in the wait list) + delayed items that are due; 0 while the queue is
 * paused, since more workers would not start any of it. Autoscaling reads this: a list-length
 * trigger on the wait list alone misses prioritized and due delayed items.
 */
export function backlogOf(
  counts: Pick<Record<QueueState, number>, 'waiting' | 'prioritized'>,
  dueDelayed: number,
  paused: boolean,
): number {
  return paused ? 0 : counts.waiting + counts.prioritized + dueDelayed;
}

/** A queue's depth by state, its due delayed items and its paused flag, read in one go. */
export async function readQueueDepth(queue: Queue, now: number): Promise<QueueDepth> {
  const [counts, dueDelayed, paused] = await Promise.all([
    queue.getJobCounts(...QUEUE_STATES),
    // Strictly before the cutoff, so now + 1 counts everything due up to this millisecond.
    queue.getDelayedCount(now + 1),
    queue.isPaused(),
  ]);
  const byState = Object.fromEntries(
    QUEUE_STATES.map((state) => [state, counts[state] ?? 0]),
  ) as Record<QueueState, number>;
  return {
    queue: queue.name,
    counts: byState,
    dueDelayed,
    paused,
    backlog: backlogOf(byState, dueDelayed, paused),
  };
}
