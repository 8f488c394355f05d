import {
  QUEUE_STATES,
  readOldestWaitMs,
  readQueueDepth,
  readWorkerCensus,
} from '@switchyard/queue';
import type { ApiDeps } from '../api-deps';

/**
 * Reads the platform's shared state into the API's gauges at scrape time: every queue's depth by
 * state, its backlog, oldest wait and paused flag, the webhook outbox, and the workers live and
 * consuming. Every API replica reports the same numbers; dashboards and autoscalers take
 * `max by (queue)`.
 */
export async function recordPlatformGauges(deps: ApiDeps): Promise<void> {
  if (deps.redis.status !== 'ready') return; // stale gauges beat a scrape that fails
  const now = Date.now();
  const queues = deps.queues.all();
  const [depths, waits, outbox, census] = await Promise.all([
    Promise.all(queues.map((queue) => readQueueDepth(queue, now))),
    Promise.all(queues.map((queue) => readOldestWaitMs(deps.redis, queue, now))),
    deps.redis.xlen(deps.keys.webhookOutbox),
    readWorkerCensus(deps.redis, deps.keys, now),
  ]);
  const { queueJobs, queueBacklog, queueOldestWait, queuePaused, webhookOutbox, workersLive } =
    deps.metrics;
  for (const [i, depth] of depths.entries()) {
    for (const state of QUEUE_STATES) {
      queueJobs.set({ queue: depth.queue, state }, depth.counts[state]);
    }
    queueBacklog.set({ queue: depth.queue }, depth.backlog);
    queueOldestWait.set({ queue: depth.queue }, waits[i]! / 1_000);
    queuePaused.set({ queue: depth.queue }, depth.paused ? 1 : 0);
  }
  webhookOutbox.set(outbox);
  workersLive.set({ state: 'live' }, census.live);
  workersLive.set({ state: 'consuming' }, census.consuming);
}
