import { InvalidRequestError, JobRequest } from '@switchyard/core';
import { decodeCursor, toPublicBatch } from '@switchyard/queue';
import { rateLimitHeaders } from '@switchyard/tenancy';
import { type Request, Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { requireScope } from '../http/authenticate';
import { JSONL_TYPES } from '../http/batch-body';
import { baseUrl } from '../http/base-url';
import { IdempotencyKey } from '../http/idempotency-key';
import { streamBody } from '../http/stream-body';
import { parseOrThrow } from '../http/validate';
import { batchFromJson, batchFromJsonl, type BatchInput } from '../services/batch-input';
import { getBatch } from '../services/batch-queries';
import { resultChunks } from '../services/batch-results';
import { cancelBatch } from '../services/cancel-batch';
import { submitBatch } from '../services/submit-batch';

const JsonlQuery = z.strictObject({ webhook: JobRequest.shape.webhook });
const NoQuery = z.strictObject({});
const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** `/v1/batches…`: thin translation between HTTP and the batch services. */
export function batchesRoutes(deps: ApiDeps): Router {
  const router = Router();
  const links = (req: Request) => baseUrl(req, deps.settings.api.publicUrl);

  router.post('/v1/batches', requireScope('jobs:write'), async (req, res) => {
    const header = req.headers['idempotency-key'];
    const key =
      header === undefined
        ? undefined
        : parseOrThrow(IdempotencyKey, header, 'header.Idempotency-Key');
    const submitted = await submitBatch(deps, {
      principal: res.locals.principal,
      batch: batchOf(deps, req),
      idempotencyKey: key,
      requestId: res.locals.requestId,
    });
    const batch = toPublicBatch(submitted.batch, links(req));
    res.set(rateLimitHeaders(submitted.rateLimit)).location(batch.urls.get);
    if (submitted.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(submitted.replayed ? 200 : 202).json(batch);
  });

  router.get('/v1/batches', requireScope('jobs:read'), async (req, res) => {
    const query = parseOrThrow(ListQuery, req.query, 'query');
    if (query.cursor && !decodeCursor(query.cursor)) {
      throw new InvalidRequestError('Invalid cursor.', [
        { path: 'query.cursor', message: 'not a cursor from this API' },
      ]);
    }
    const page = await deps.batches.list(res.locals.principal.tenantId, query);
    const base = links(req);
    res.json({
      object: 'list',
      data: page.batches.map((batch) => toPublicBatch(batch, base)),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  });

  router.get('/v1/batches/:id', requireScope('jobs:read'), async (req, res) => {
    const batch = await getBatch(deps, res.locals.principal.tenantId, String(req.params.id));
    res.json(toPublicBatch(batch, links(req)));
  });

  router.get('/v1/batches/:id/results', requireScope('jobs:read'), async (req, res) => {
    const batch = await getBatch(deps, res.locals.principal.tenantId, String(req.params.id));
    res.status(200).type('application/jsonl; charset=utf-8');
    await streamBody(res, resultChunks(deps, batch.id));
  });

  router.post('/v1/batches/:id/cancel', requireScope('jobs:write'), async (req, res) => {
    const batch = await cancelBatch(deps, res.locals.principal.tenantId, String(req.params.id));
    res.json(toPublicBatch(batch, links(req)));
  });

  return router;
}

/** The submitted batch, from a JSON body or an OpenAI Batch input file (JSONL). */
function batchOf(deps: ApiDeps, req: Request): BatchInput {
  if (req.body === undefined) {
    throw new InvalidRequestError(
      'A body is required: JSON {"requests": [...]} or an OpenAI Batch input file (application/jsonl).',
    );
  }
  if (req.is(JSONL_TYPES)) {
    const { webhook } = parseOrThrow(JsonlQuery, req.query, 'query');
    return batchFromJsonl(String(req.body), deps.settings, webhook);
  }
  parseOrThrow(NoQuery, req.query, 'query');
  return batchFromJson(req.body);
}
