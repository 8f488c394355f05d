import { PermissionDeniedError } from '@switchyard/core';
import { type RequestHandler, Router } from 'express';

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

/**
 * Adding items and editing their data is refused to admins too: items are pointers that the API
 * and dispatcher write (the job store holds the jobs), and the board shows webhook URLs redacted,
 * so an edit would write the redaction back. Retry, clean, promote and pause stay the admin's.
 */
export function refuseItemWrites(): Router {
  const router = Router();
  const refuse: RequestHandler = (_req, _res, next) =>
    next(new PermissionDeniedError('Queue items are written by Switchyard only; use the job API.'));
  router.post('/api/queues/:queueName/add', refuse);
  router.patch('/api/queues/:queueName/:jobId/update-data', refuse);
  return router;
}
