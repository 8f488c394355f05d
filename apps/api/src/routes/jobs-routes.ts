import { InvalidRequestError, isFinalStatus, JobRequest, JobStatus } from '@switchyard/core';
import { isRedisUnavailableError } from '@switchyard/redis-kit';
import { decodeCursor, toPublicJob } from '@switchyard/queue';
import { rateLimitHeaders } from '@switchyard/tenancy';
import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { requireScope } from '../http/authenticate';
import { baseUrl } from '../http/base-url';
import { IdempotencyKey } from '../http/idempotency-key';
import { NOT_HELD } from '../http/drain';
import { parseOrThrow } from '../http/validate';
import { waitFromPrefer, waitFromQuery } from '../http/wait-time';
import { cancelJob } from '../services/cancel-job';
import { getJob, listJobs, waitForJob } from '../services/job-queries';
import { submitJob } from '../services/submit-job';

export const ListQuery = z.strictObject({
  status: JobStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** `/v1/jobs…`: thin translation between HTTP and the job services. */
export function jobsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const links = (req: Parameters<typeof baseUrl>[0]) => baseUrl(req, deps.settings.api.publicUrl);

  router.post('/v1/jobs', requireScope('jobs:write'), async (req, res) => {
    const wait = waitFromPrefer(req.get('prefer'));
    // Before any await: a client may leave at any point.
    const gone = wait > 0 ? deps.drain.hold(res) : NOT_HELD;
    const idempotencyKey = req.headers['idempotency-key'];
    const key =
      idempotencyKey === undefined
        ? undefined
        : parseOrThrow(IdempotencyKey, idempotencyKey, 'header.Idempotency-Key');
    if (req.body === undefined) throw new InvalidRequestError('A JSON body is required.');
    const body = parseOrThrow(JobRequest, req.body, 'body');
    const submitted = await submitJob(deps, {
      principal: res.locals.principal,
      body,
      idempotencyKey: key,
      requestId: res.locals.requestId,
    });
    // Waiting is a preference: a job that was created is answered 202 even if the wait cannot
    // be held (pub/sub reconnecting after an outage), or a client would retry and duplicate it.
    let waited = wait > 0;
    const record = await waitForJob(deps, submitted.record, wait, gone).catch((error: unknown) => {
      if (!isRedisUnavailableError(error)) throw error;
      waited = false;
      return submitted.record;
    });
    const job = toPublicJob(record, links(req));
    res.set(rateLimitHeaders(submitted.rateLimit)).location(job.urls.get);
    if (waited) res.set('Preference-Applied', `wait=${wait}`);
    if (submitted.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(submitStatus(submitted.replayed, waited, record.status)).json(job);
  });

  router.get('/v1/jobs', requireScope('jobs:read'), async (req, res) => {
    const query = parseOrThrow(ListQuery, req.query, 'query');
    if (query.cursor && !decodeCursor(query.cursor)) {
      throw new InvalidRequestError('Invalid cursor.', [
        { path: 'query.cursor', message: 'not a cursor from this API' },
      ]);
    }
    const page = await listJobs(deps, res.locals.principal.tenantId, query);
    const base = links(req);
    res.json({
      object: 'list',
      data: page.records.map((record) => toPublicJob(record, base)),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  });

  router.get('/v1/jobs/:id', requireScope('jobs:read'), async (req, res) => {
    const wait = waitFromQuery(req.query.wait);
    const gone = wait > 0 ? deps.drain.hold(res) : NOT_HELD;
    const record = await getJob(deps, res.locals.principal.tenantId, String(req.params.id));
    const latest = await waitForJob(deps, record, wait, gone);
    res.json(toPublicJob(latest, links(req)));
  });

  router.post('/v1/jobs/:id/cancel', requireScope('jobs:write'), async (req, res) => {
    const record = await cancelJob(deps, res.locals.principal.tenantId, String(req.params.id));
    res.json(toPublicJob(record, links(req)));
  });

  return router;
}

/**
 * A replay is `200` whatever it waited for (the job was created earlier); a new job is `201`
 * when `Prefer: wait` saw it end, so the answer is the finished resource, and `202` otherwise.
 */
export function submitStatus(replayed: boolean, waited: boolean, status: JobStatus): number {
  if (replayed) return 200;
  return waited && isFinalStatus(status) ? 201 : 202;
}
