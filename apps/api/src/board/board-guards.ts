import { PermissionDeniedError } from '@switchyard/core';
import { DEADLINE_QUEUE } from '@switchyard/queue';
import { type RequestHandler, Router } from 'express';
import type { BoardQueue } from './board-queues';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The viewer is read-only at the HTTP layer, before any board code runs. Its board is read-only
 * as well, but that is a per-queue switch of the board's handlers, and the board's pause-all and
 * resume-all answer 200 for read-only queues rather than refusing; this guard does not depend on
 * how each handler honours the switch.
 */
export const refuseViewerWrites: RequestHandler = (req, res, next) => {
  if (res.locals.operatorRole === 'viewer' && !READ_METHODS.has(req.method)) {
    return next(new PermissionDeniedError('The viewer token is read-only.'));
  }
  next();
};

/** Item states whose removal loses nothing: the job store holds what happened. */
const ENDED_STATES: ReadonlySet<string> = new Set(['completed', 'failed']);

/**
 * Board actions refused to admins too, because each would leave the platform inconsistent:
 * - adding items and editing their data: items are pointers that the API and dispatcher write
 *   (the job store holds the jobs), and the board shows webhook URLs redacted, so an edit would
 *   write the redaction back;
 * - emptying or obliterating a queue, cleaning or removing items that are not finished: a job
 *   whose item is gone stays `queued` for ever (its long-polls time out, its webhook never
 *   comes), a delivery whose item is gone is never sent;
 * - changing an item's delay, or promoting a deadline: an item's time is the job's (a retry's
 *   backoff, a `cancel_after` deadline), and promoting a deadline would end its job now.
 * Retrying and cleaning finished items, promoting retries, pausing and resuming stay the admin's.
 * Cancelling a job is the API's `POST /v1/jobs/{id}/cancel`.
 */
export function refuseUnsafeWrites(queues: readonly BoardQueue[]): Router {
  const byName = new Map(queues.map(({ queue }) => [queue.name, queue]));
  const router = Router();
  const refuse =
    (why: string): RequestHandler =>
    (_req, _res, next) =>
      next(new PermissionDeniedError(why));
  const itemsAreOurs = refuse('Queue items are written by Switchyard only; use the job API.');
  const strands = refuse(
    'That would leave jobs or deliveries without their queue item; cancel jobs through the API instead.',
  );
  router.post('/api/queues/:queueName/add', itemsAreOurs);
  router.all('/api/queues/:queueName/:jobId/update-data', itemsAreOurs);
  router.all('/api/queues/:queueName/empty', strands);
  router.all('/api/queues/:queueName/obliterate', strands);
  router.all('/api/queues/:queueName/clean/:queueStatus', (req, res, next) =>
    ENDED_STATES.has(String(req.params.queueStatus)) ? next() : strands(req, res, next),
  );
  router.all('/api/queues/:queueName/:jobId/clean', async (req, res, next) => {
    const queue = byName.get(String(req.params.queueName));
    const state = queue && (await queue.getJobState(String(req.params.jobId)));
    // An unknown queue or item is the board's own 404 to give.
    if (state === undefined || state === 'unknown' || ENDED_STATES.has(state)) return next();
    strands(req, res, next);
  });
  router.all(
    '/api/queues/:queueName/:jobId/delay',
    refuse(
      "An item's delay is its job's time (a retry's backoff, a deadline); it is not set by hand.",
    ),
  );
  const deadlineNow = refuse('Promoting a deadline would end its job now; cancel the job instead.');
  router.all(`/api/queues/${DEADLINE_QUEUE}/promote`, deadlineNow);
  router.all(`/api/queues/${DEADLINE_QUEUE}/:jobId/promote`, deadlineNow);
  return router;
}
