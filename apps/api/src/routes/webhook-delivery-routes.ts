import { ConflictError, isFinalStatus } from '@switchyard/core';
import { announceAgain, DeliveryLog } from '@switchyard/outbox';
import { Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { requireScope } from '../http/authenticate';
import { getJob } from '../services/job-queries';

/** `GET /v1/jobs/{id}/deliveries` and `POST /v1/jobs/{id}/redeliver`. */
export function webhookDeliveryRoutes(deps: ApiDeps): Router {
  const router = Router();
  const log = new DeliveryLog(deps.redis, deps.keys, deps.settings.jobs.retentionMs);

  router.get('/v1/jobs/:id/deliveries', requireScope('jobs:read'), async (req, res) => {
    const record = await getJob(deps, res.locals.principal.tenantId, String(req.params.id));
    res.json({ object: 'list', data: await log.list(record.id) });
  });

  router.post('/v1/jobs/:id/redeliver', requireScope('jobs:write'), async (req, res) => {
    const record = await getJob(deps, res.locals.principal.tenantId, String(req.params.id));
    if (!record.request.webhook) throw new ConflictError('This job has no webhook.');
    if (!isFinalStatus(record.status)) {
      throw new ConflictError('This job has not ended yet; its webhook will be sent when it does.');
    }
    const event = await announceAgain(deps.redis, deps.keys, record);
    res.status(202).json({ object: 'webhook_event', id: event.id, type: event.type });
  });
  return router;
}
